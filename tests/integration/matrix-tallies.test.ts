import { describe, expect, it } from "vitest";
import type { IngestBody } from "@/lib/schemas/ingest";
import { readMatrixColumns, seriesTally, tallyRow } from "@/lib/services/get-matrix-compact";
import { recordResults } from "@/lib/services/record-results";
import { mulberry32 } from "@/lib/synthetic/generate";
import { result, uniqueTag } from "./helpers";

/**
 * The matrix's per-series counts are tallied while the stored rows are decoded (one row holds one
 * version's cells on one series); they must equal counting the decoded cells over the series'
 * kernels (tallyRow), whatever the filters.
 */
const tag = uniqueTag();
const slug = `tally-${tag}`;
const rnd = mulberry32(20261130 + 7);
const KERNELS = ["5.10.0-30-amd64", "5.10.0-32-cloud-amd64", "6.1.0-47-amd64", "6.1.0-56-rt-amd64", "6.1.112", "6.6.58", "6.12.57+deb13-amd64", "6.12.1", "6.12-rc1"];
const ARCHES = ["x86_64", "aarch64", "riscv64"];
const STATUSES = ["pass", "fail", "error", "skip"] as const;

describe("matrix tallies", () => {
  it("equal the decoded cells counted per series, with and without filters", async () => {
    const results: IngestBody["results"] = [];
    for (const moduleVersion of ["1.0", "1.1", "2.0", "2.1"])
      for (const kernel of KERNELS)
        for (const arch of ARCHES)
          if (rnd() < 0.6) results.push(result({ module: slug, moduleVersion, kernel, arch, status: STATUSES[Math.floor(rnd() * 4)], errorLine: "e" }));
    await recordResults({ run: { source: `tally-${tag}`, id: "a" }, results });
    let compared = 0;
    for (const query of [{}, { arch: "aarch64" }, { from: "6.1", to: "6.6" }, { distro: "debian" }, { flavours: "generic" as const }, { flavour: "cloud-amd64" }, { arch: "x86_64", flavours: "generic" as const }]) {
      const read = await readMatrixColumns(slug, query);
      if (read === "unchanged") throw new Error("nothing was kept");
      expect(read.series.length, JSON.stringify(query)).toBeGreaterThan(0);
      for (const s of read.series)
        read.versions.forEach((_, vi) => {
          expect(seriesTally(read, s, vi), `${JSON.stringify(query)} ${s.series} ${vi}`).toEqual(tallyRow(read.cells[vi], s.kernels));
          compared += 1;
        });
    }
    expect(compared).toBeGreaterThan(60);
  });
});
