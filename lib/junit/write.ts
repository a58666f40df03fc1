/**
 * Results → JUnit XML (fast-xml-parser's XMLBuilder), one testsuite per module version, one
 * testcase per result, with the same `modcompat.*` properties the import reads, so a report
 * written here imports back to the same results.
 */
import { XMLBuilder } from "fast-xml-parser";
import type { Status } from "../domain/status";
import type { ExportRow } from "../kcidb/map";

const builder = new XMLBuilder({ ignoreAttributes: false, attributeNamePrefix: "@", textNodeName: "#text", format: true, suppressEmptyNode: true });
const prop = (name: string, value: string) => ({ "@name": `modcompat.${name}`, "@value": value });

const OUTCOME: Record<Status, (r: ExportRow) => Record<string, unknown>> = {
  pass: () => ({}),
  fail: (r) => ({ failure: { "@message": r.errorLine ?? "failed", "@type": r.stage } }),
  error: (r) => ({ error: { "@message": r.errorLine ?? "environment error", "@type": r.stage } }),
  skip: (r) => ({ skipped: { "@message": r.errorLine ?? "declined by the module" } }),
};

export function resultsToJunit(rows: readonly ExportRow[]): string {
  const suites = new Map<string, ExportRow[]>();
  for (const r of rows) {
    const k = `${r.module}@${r.version}`;
    suites.set(k, [...(suites.get(k) ?? []), r]);
  }
  const count = (list: readonly ExportRow[], s: Status) => list.filter((r) => r.status === s).length;
  const doc = {
    "?xml": { "@version": "1.0", "@encoding": "UTF-8" },
    testsuites: {
      "@name": "modcompat",
      "@tests": rows.length,
      "@failures": count(rows, "fail"),
      "@errors": count(rows, "error"),
      "@skipped": count(rows, "skip"),
      testsuite: [...suites].map(([name, list]) => ({
        "@name": name,
        "@tests": list.length,
        "@failures": count(list, "fail"),
        "@errors": count(list, "error"),
        "@skipped": count(list, "skip"),
        properties: { property: [prop("module", list[0].module), prop("version", list[0].version)] },
        testcase: list.map((r) => ({
          "@classname": `${r.module}@${r.version}.${r.stage}`,
          "@name": `${r.kernel} ${r.arch}`,
          ...(r.durationMs !== null ? { "@time": (r.durationMs / 1000).toFixed(3) } : {}),
          "@timestamp": new Date(r.finishedAt.getTime() - (r.durationMs ?? 0)).toISOString(),
          properties: { property: [prop("kernel", r.kernel), prop("arch", r.arch), prop("stage", r.stage)] },
          ...OUTCOME[r.status](r),
          ...(r.logExcerpt ? { "system-out": r.logExcerpt } : {}),
        })),
      })),
    },
  };
  return builder.build(doc) as string;
}
