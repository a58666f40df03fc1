/**
 * `node scripts/cpu-per.mjs`: the server CPU time per request of each read endpoint of
 * `npm run load`'s mix, and the mix's weighted figure. Sequential requests against a running server;
 * CPU is utime + stime of the given server processes from /proc (about 1 ms of resolution).
 *
 *   PID=<reader pid>[,<pid>…] BASE=http://127.0.0.1:3000 N=20 [ONLY=check] node scripts/cpu-per.mjs
 *
 * `GET /api/v1/health` names the process that answered (`app.pid`, `app.role`).
 */
import { readFileSync } from "node:fs";
const pid = process.env.PID, base = process.env.BASE ?? "http://127.0.0.1:3700";
const cpu = () => pid.split(",").reduce((t, p) => { const s = readFileSync(`/proc/${p}/stat`, "utf8"); const f = s.slice(s.lastIndexOf(")") + 2).split(" "); return t + (Number(f[11]) + Number(f[12])) * 10; }, 0);
const mods = (await (await fetch(base + "/api/v1/modules")).json());
const slugs = (Array.isArray(mods) ? mods : mods.modules).map((m) => m.slug).filter((s) => !s.startsWith("load-")).slice(0, 20);
const ks = await (await fetch(base + "/api/v1/kernels")).json();
const kernels = (Array.isArray(ks) ? ks : ks.kernels).map((k) => k.version).filter((k) => !/^6\.1\.0-\d{3,}/.test(k));
const N = Number(process.env.N ?? 20);
const eps = {
  "/": () => "/",
  "module": (i) => `/modules/${slugs[i % slugs.length]}`,
  "module?expand": (i) => `/modules/${slugs[i % slugs.length]}?expand=6.1`,
  "history": (i) => `/modules/${slugs[i % slugs.length]}/history`,
  "page check": (i) => `/check?kernel=${encodeURIComponent(kernels[i % kernels.length])}&module=${slugs[i % slugs.length]}`,
  "regressions": () => "/regressions",
  "api matrix": (i) => `/api/v1/modules/${slugs[i % slugs.length]}/matrix`,
  "api check": (i) => `/api/v1/check?kernel=${encodeURIComponent(kernels[i % kernels.length])}&module=${slugs[i % slugs.length]}`,
  "api modules": () => "/api/v1/modules",
};
const w = { "/": 10, module: 10, "module?expand": 7, history: 6, "page check": 6, regressions: 6, "api matrix": 15, "api check": 12, "api modules": 8 };
let tot = 0;
for (const [name, f] of Object.entries(eps)) {
  if (process.env.ONLY && !name.includes(process.env.ONLY)) continue;
  await fetch(base + f(0)).then((r) => r.arrayBuffer());
  const c0 = cpu(), t0 = performance.now(); let bytes = 0;
  for (let i = 0; i < N; i++) bytes += (await (await fetch(base + f(i))).arrayBuffer()).byteLength;
  const per = (cpu() - c0) / N;
  tot += per * w[name] / 100;
  console.log(`${name.padEnd(16)} cpu ${per.toFixed(1).padStart(6)} ms  wall ${((performance.now() - t0) / N).toFixed(1).padStart(6)} ms  ${(bytes / N / 1024).toFixed(0)} KB  weighted ${(per * w[name] / 100).toFixed(1)}`);
}
console.log(`weighted CPU per read request (80 % of the mix): ${tot.toFixed(1)} ms`);
