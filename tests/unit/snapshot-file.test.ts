import { gunzipSync, gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { snapshotDigest } from "@/lib/services/kernel-api/import-kernel-api";
import { decodeSnapshotFile, encodeSnapshotFile } from "@/lib/services/kernel-api/snapshot-file";

const texts = { symbols: "kfree\t12ab34cd\t-\t\t\nstrlcpy\t5792f848\t-\t\t", headers: "", callables: "DEFINE_SEMAPHORE/2\nno_llseek" };
const header = {
  kernel: "6.1.0-56-amd64",
  headerPackage: { package: "linux-headers-6.1.0-56-amd64", version: "6.1.192-2" },
  environment: "host",
  sourceDir: "/usr/src/linux-headers-6.1.0-56-amd64",
  trees: ["/usr/src/linux-headers-6.1.0-56-amd64"],
  madeAt: "2026-11-29T14:03:13.246Z",
  madeBy: "npx modcompat kernel-api export",
  counts: { symbols: 2, gplOnly: 0, namespaced: 0, headers: 0, callables: 2 },
  sha256: snapshotDigest(texts),
};

describe("kernel API snapshot files", () => {
  it("round-trip, an empty section included; the first line is the JSON header", () => {
    const gz = encodeSnapshotFile(header, texts);
    expect(JSON.parse(gunzipSync(gz).toString("utf8").split("\n")[0])).toMatchObject({ kernel: "6.1.0-56-amd64", lines: { symbols: 2, headers: 0, callables: 2 } });
    const back = decodeSnapshotFile(gz);
    expect(back.texts).toEqual(texts);
    expect(back.header.headerPackage).toEqual(header.headerPackage);
  });

  it.each([
    ["a missing line", (t: string) => t.replace(/\nno_llseek$/, "")],
    ["no JSON header", (t: string) => t.replace(/^\{/, "[")],
    ["a bad kernel name", (t: string) => t.replace('"kernel":"6.1.0-56-amd64"', '"kernel":"../etc"')],
  ])("refuses %s", (_name, edit) => {
    const text = edit(gunzipSync(encodeSnapshotFile(header, texts)).toString("utf8"));
    expect(() => decodeSnapshotFile(gzipSync(text), "x.txt.gz")).toThrow(/x\.txt\.gz/);
  });
});
