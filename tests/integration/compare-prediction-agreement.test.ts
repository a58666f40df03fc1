import { copyFileSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { predictBuild, type ReasonKind } from "@/lib/domain/prediction";
import { ingestBodySchema } from "@/lib/schemas/ingest";
import { apiViewOf } from "@/lib/services/kernel-api/api-view-cache";
import { compareKernelApis } from "@/lib/services/kernel-api/compare-kernel-apis";
import { loadSnapshotFiles } from "@/lib/services/kernel-api/load-snapshot-files";
import { DEMO_DIR, KERNEL_API_DIR, loadBody } from "@/lib/services/load-demo";
import { uniqueTag } from "./helpers";

/**
 * The compare page's "affected" list and the prediction rule read the same footprint and the same
 * two snapshots: what compare says a module version uses and the target removed is exactly what the
 * prediction names as removed (exports, names its sources use, headers it includes), and a licence
 * or namespace break the prediction names is among compare's changed items. On the real demo: its
 * 13 footprints (6.1.0-56, modules renamed per run) and the committed snapshots.
 */
const FROM = "6.1.0-56-amd64";
const TARGETS = ["6.12.107+deb12-amd64", "7.3-rc7-amd64", "7.2.13+deb14-amd64", "5.10.0-46-amd64"];
const REMOVED: ReasonKind[] = ["symbol-removed", "reference-removed", "header-removed", "removed-behind-version-check"];
const tag = uniqueTag();

describe("compare's affected list agrees with the prediction rule (real demo footprints and snapshots)", () => {
  beforeAll(async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "kapi-agree-"));
    for (const k of [FROM, ...TARGETS]) copyFileSync(path.join(KERNEL_API_DIR, `${k}.txt.gz`), path.join(dir, `${k}.txt.gz`));
    await loadSnapshotFiles(dir);
    const body = ingestBodySchema.parse(JSON.parse(readFileSync(path.join(DEMO_DIR, "footprints-bookworm-6.1.0-56.json"), "utf8")));
    await loadBody({
      run: { ...body.run, id: `${body.run.id}-${tag}` },
      results: body.results.map((r) => ({ ...r, module: `${r.module}-${tag}` })),
    });
  });

  it.each(TARGETS)(`${FROM} → %s`, async (to) => {
    const r = await compareKernelApis({ from: FROM, to, used: "1", limit: 2000 });
    // (lists may be cut at `limit`; `affected` is computed from the whole lists)
    const affected = new Map(r.affected.filter((a) => a.module.endsWith(`-${tag}`)).map((a) => [`${a.module}@${a.version}`, a]));
    const base = await apiViewOf(FROM);
    const target = await apiViewOf(to);
    const footprints = await db().footprint.findMany({ where: { moduleVersion: { module: { slug: { endsWith: `-${tag}` } } } }, include: { moduleVersion: { include: { module: true } } } });
    expect(footprints).toHaveLength(13);
    let breaks = 0;
    for (const f of footprints) {
      const key = `${f.moduleVersion.module.slug}@${f.moduleVersion.version}`;
      const p = predictBuild({ footprint: f, base, target });
      const a = affected.get(key);
      const predictedRemoved = p.reasons.filter((x) => REMOVED.includes(x.kind)).map((x) => x.name).sort();
      expect([...(a?.removed ?? [])].sort(), key).toEqual(predictedRemoved);
      for (const x of p.reasons.filter((x) => x.kind === "symbol-gpl-only" || x.kind === "symbol-namespace")) expect(a?.changed, key).toContain(x.name);
      if (a?.removed.length) {
        // a removal the prediction puts behind a version check (the sources also use the target's
        // newer API) is a weak pass; any other removal a failure
        const guardedOnly = p.reasons.filter((x) => REMOVED.includes(x.kind)).every((x) => x.kind === "removed-behind-version-check");
        expect([p.outcome, p.strength], key).toEqual(guardedOnly ? ["pass", "weak"] : ["fail", p.strength]);
        if (!guardedOnly) breaks++;
      }
    }
    // the data is not trivial: 6.12 and 7.x break some of them (strlcpy, asm/unaligned.h …)
    if (to !== "5.10.0-46-amd64") expect(breaks).toBeGreaterThan(0);
  });
});
