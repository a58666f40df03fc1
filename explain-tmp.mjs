import pg from "pg";
const pool = new pg.Pool({ connectionString: "postgresql://postgres:postgres@127.0.0.1:37417/bench" });
const slugs = ["synthetic-mod-1","synthetic-mod-2","synthetic-mod-3","synthetic-mod-4","synthetic-mod-5","synthetic-mod-6","synthetic-mod-7","synthetic-mod-8"];
const versions = ["1.3.0","1.5.1","1.1.2","1.0.0","1.7.1","1.2.2","1.9.0","2.0.1"];
const sql = `EXPLAIN (ANALYZE, SUMMARY) WITH want AS (
      SELECT * FROM unnest($1::text[], $2::text[]) AS w(slug, version)
    ), vers AS (
      SELECT v.id, v."moduleId", m.slug, m.name, v.version, v."sortKey", v."declaredKernelMin", v."declaredKernelMax"
      FROM "Module" m JOIN "ModuleVersion" v ON v."moduleId" = m.id
      WHERE m.slug = ANY($1::text[])
    ), judged AS (
      SELECT DISTINCT ON (w.slug) w.slug, v.id FROM want w JOIN vers v ON v.slug = w.slug
      WHERE w.version IS NULL OR v.version = w.version
      ORDER BY w.slug, v."sortKey" DESC
    ), c AS (
      SELECT c."moduleVersionId" AS mv, c."kernelId" AS k, c.arch, c.status, k.series = $4 AS s, c."errorLine", c."logUrl", c."lastResultAt"
      FROM "Cell" c JOIN "Kernel" k ON k.id = c."kernelId"
      WHERE c."moduleVersionId" IN (SELECT id FROM judged) AND ($3::text IS NULL OR c.arch = $3::text)
    )
    SELECT
      (SELECT json_agg(json_build_array(id, "moduleId", slug, name, version, "declaredKernelMin", "declaredKernelMax") ORDER BY "sortKey" DESC) FROM vers) AS versions,
      (SELECT json_agg(json_build_array(slug, id)) FROM judged) AS judged,
      (SELECT string_agg(concat_ws(chr(31), mv, k, arch, status), chr(30)) FROM c WHERE NOT s) AS cells,
      (SELECT json_agg(json_build_array(mv, k, arch, status, "errorLine", "logUrl", "lastResultAt")) FROM c WHERE s) AS full,
      EXISTS (SELECT 1 FROM "Kernel" WHERE version = $5) AS known`;
for (const arch of ["x86_64", null]) for (let i = 0; i < 3; i++) {
  const t = performance.now();
  const r = await pool.query(sql, [slugs, versions, arch, "6.12", "6.12.39"]);
  console.log(arch, (performance.now()-t).toFixed(1), r.rows.filter(x => /Time/.test(x["QUERY PLAN"])).map(x => x["QUERY PLAN"]).join(" "));
}
const r = await pool.query(sql, [slugs, versions, null, "6.12", "6.12.39"]);
console.log(r.rows.map(x => x["QUERY PLAN"]).join("\n"));
await pool.end();
