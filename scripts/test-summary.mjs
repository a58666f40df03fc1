// Adds up vitest's and Playwright's JSON reports into one line CI can read: "N passed, N failed, N skipped".
import { existsSync, readFileSync } from "node:fs";

let passed = 0, failed = 0, skipped = 0;
const [vitestFile, playwrightFile] = process.argv.slice(2);
if (vitestFile && existsSync(vitestFile)) {
  const v = JSON.parse(readFileSync(vitestFile, "utf8"));
  passed += v.numPassedTests ?? 0;
  failed += v.numFailedTests ?? 0;
  skipped += (v.numPendingTests ?? 0) + (v.numTodoTests ?? 0);
  // A file that fails to load has no failed tests, only a failed suite: count it.
  if (!v.numFailedTests && v.numFailedTestSuites) failed += v.numFailedTestSuites;
} else {
  console.log("no vitest report (vitest did not run)");
  failed += 1;
}
if (playwrightFile && existsSync(playwrightFile)) {
  const p = JSON.parse(readFileSync(playwrightFile, "utf8"));
  const s = p.stats ?? {};
  passed += (s.expected ?? 0) + (s.flaky ?? 0);
  failed += s.unexpected ?? 0;
  skipped += s.skipped ?? 0;
  if ((p.errors ?? []).length > 0) failed += p.errors.length;
} else {
  console.log("no playwright report (the browser tests did not run)");
  failed += 1;
}
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed > 0 ? 1 : 0);
