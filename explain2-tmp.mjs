import pg from "pg";
const pool = new pg.Pool({ connectionString: "postgresql://postgres:postgres@127.0.0.1:37417/bench" });
const ids = (await pool.query(`SELECT mv.id FROM "ModuleVersion" mv JOIN "Module" m ON m.id = mv."moduleId" WHERE mv.version = '1.3.0' OR mv.version='1.5.1' LIMIT 8`)).rows.map(r => r.id);
const variants = {
  current: `SELECT string_agg(concat_ws(chr(31), c."moduleVersionId", c."kernelId", c.arch, c.status), chr(30)) FROM "Cell" c WHERE c."moduleVersionId" = ANY($1::int[])`,
  concatOp: `SELECT string_agg(c."moduleVersionId" || chr(31) || c."kernelId" || chr(31) || c.arch || chr(31) || c.status, chr(30)) FROM "Cell" c WHERE c."moduleVersionId" = ANY($1::int[])`,
  arrays: `SELECT array_agg(c."moduleVersionId") mv, array_agg(c."kernelId") k, array_agg(c.arch) a, array_agg(c.status) s FROM "Cell" c WHERE c."moduleVersionId" = ANY($1::int[])`,
  maskGroup: `SELECT string_agg(mv || chr(31) || k || chr(31) || m, chr(30)) FROM (SELECT c."moduleVersionId" mv, c."kernelId" k, (bool_or(status='pass')::int | (bool_or(status='fail')::int << 1) | (bool_or(status='error')::int << 2) | (bool_or(status='skip')::int << 3)) m FROM "Cell" c WHERE c."moduleVersionId" = ANY($1::int[]) GROUP BY 1, 2) g`,
  rowsOnly: `SELECT count(*) FROM "Cell" c WHERE c."moduleVersionId" = ANY($1::int[])`,
  jsonFull: `SELECT json_agg(json_build_array(c."moduleVersionId", c."kernelId", c.arch, c.status, c."errorLine", c."logUrl", c."lastResultAt")) FROM "Cell" c WHERE c."moduleVersionId" = ANY($1::int[]) AND c."kernelId" IN (SELECT id FROM "Kernel" WHERE series='6.12')`,
  jsonFullEpoch: `SELECT json_agg(json_build_array(c."moduleVersionId", c."kernelId", c.arch, c.status, c."errorLine", c."logUrl", (extract(epoch from c."lastResultAt") * 1000)::bigint)) FROM "Cell" c WHERE c."moduleVersionId" = ANY($1::int[]) AND c."kernelId" IN (SELECT id FROM "Kernel" WHERE series='6.12')`,
};
for (let round = 0; round < 2; round++) for (const [name, sql] of Object.entries(variants)) {
  const t = performance.now(); let n = 20;
  for (let i = 0; i < n; i++) await pool.query({ name, text: sql, values: [ids] });
  const r = await pool.query("EXPLAIN (ANALYZE, SUMMARY) " + sql, [ids]);
  console.log(name.padEnd(14), ((performance.now()-t)/n).toFixed(1), "ms/query", r.rows.filter(x => /Execution/.test(x["QUERY PLAN"])).map(x => x["QUERY PLAN"]).join(" "));
}
await pool.end();
