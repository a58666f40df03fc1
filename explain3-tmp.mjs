import pg from "pg";
const pool = new pg.Pool({ connectionString: "postgresql://postgres:postgres@127.0.0.1:37417/bench" });
const slugs = ["synthetic-mod-1","synthetic-mod-2","synthetic-mod-3","synthetic-mod-4","synthetic-mod-5","synthetic-mod-6","synthetic-mod-7","synthetic-mod-8"];
const versions = ["1.3.0","1.5.1","1.1.2","1.0.0","1.7.1","1.2.2","1.9.0","2.0.1"];
const sql = `WITH want AS (
      SELECT * FROM unnest($1::text[], $2::text[]) AS w(slug, version)
    ), vers AS (
      SELECT v.id, v."moduleId", m.slug, m.name, v.version, v."sortKey", v."declaredKernelMin", v."declaredKernelMax"
      FROM "Module" m JOIN "ModuleVersion" v ON v."moduleId" = m.id
      WHERE m.slug = ANY($1::text[])
    ), judged AS MATERIALIZED (
      SELECT DISTINCT ON (w.slug) w.slug, v.id FROM want w JOIN vers v ON v.slug = w.slug
      WHERE w.version IS NULL OR v.version = w.version
      ORDER BY w.slug, v."sortKey" DESC
    )
    SELECT
      (SELECT json_agg(json_build_array(id, "moduleId", slug, name, version, "declaredKernelMin", "declaredKernelMax") ORDER BY "sortKey" DESC) FROM vers) AS versions,
      (SELECT json_agg(json_build_array(slug, id)) FROM judged) AS judged,
      (SELECT json_agg(json_build_array(c."moduleVersionId", c."kernelId", c.arch, c.status, c."errorLine", c."logUrl", c."lastResultAt"))
        FROM "Cell" c JOIN "Kernel" k ON k.id = c."kernelId"
        WHERE c."moduleVersionId" IN (SELECT id FROM judged) AND k.series = $4 AND ($3::text IS NULL OR c.arch = $3::text)) AS full,
      (SELECT k.id FROM "Kernel" k WHERE EXISTS (SELECT 1 FROM judged) AND NOT EXISTS (
        SELECT 1 FROM judged j WHERE
          NOT EXISTS (SELECT 1 FROM "Cell" c WHERE c."moduleVersionId" = j.id AND c."kernelId" = k.id AND c.status = 'pass' AND ($3::text IS NULL OR c.arch = $3::text))
          OR EXISTS (SELECT 1 FROM "Cell" c WHERE c."moduleVersionId" = j.id AND c."kernelId" = k.id AND c.status IN ('fail', 'skip') AND ($3::text IS NULL OR c.arch = $3::text))) ORDER BY k."sortKey" DESC LIMIT 1) AS safe,
      (SELECT k.id FROM "Kernel" k WHERE k.distro = $6 AND EXISTS (SELECT 1 FROM judged) AND NOT EXISTS (
        SELECT 1 FROM judged j WHERE
          NOT EXISTS (SELECT 1 FROM "Cell" c WHERE c."moduleVersionId" = j.id AND c."kernelId" = k.id AND c.status = 'pass' AND ($3::text IS NULL OR c.arch = $3::text))
          OR EXISTS (SELECT 1 FROM "Cell" c WHERE c."moduleVersionId" = j.id AND c."kernelId" = k.id AND c.status IN ('fail', 'skip') AND ($3::text IS NULL OR c.arch = $3::text))) ORDER BY k."sortKey" DESC LIMIT 1) AS "safeInDistro",
      EXISTS (SELECT 1 FROM "Kernel" WHERE version = $5) AS known`;
for (const arch of ["x86_64", null]) for (let i = 0; i < 3; i++) {
  const t = performance.now();
  const r = await pool.query("EXPLAIN (ANALYZE, SUMMARY) " + sql, [slugs, versions, arch, "6.12", "6.12.39", "mainline"]);
  const t2 = performance.now();
  const q = await pool.query(sql, [slugs, versions, arch, "6.12", "6.12.39", "mainline"]);
  console.log(arch, (t2-t).toFixed(1), (performance.now()-t2).toFixed(1), r.rows.filter(x => /Time/.test(x["QUERY PLAN"])).map(x => x["QUERY PLAN"]).join(" "), q.rows[0].safe, q.rows[0].safeInDistro, q.rows[0].full?.length);
}
const r = await pool.query("EXPLAIN (ANALYZE, SUMMARY) " + sql, [slugs, versions, null, "6.12", "6.12.39", "mainline"]);
console.log(r.rows.map(x => x["QUERY PLAN"]).join("\n"));
await pool.end();
