import { beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { recordResults } from "@/lib/services/record-results";
import { declaredMismatchIndex } from "@/lib/services/history/declared-mismatches";
import { uniqueAbi, uniqueTag } from "./helpers";

const tag = uniqueTag();
const slug = `marks-${tag}`;
const abi = uniqueAbi();
const K61 = `6.1.0-${abi}-amd64`;
const K612 = `6.12.0-${abi}-amd64`;
const ids = { v: 0, k61: 0, k612: 0 };

beforeAll(async () => {
  // 1.0 declares kernels 5.10–6.6: the 6.1 failure on aarch64 contradicts it (declared supported,
  // fails), and so does the 6.12 pass on x86_64 (declared unsupported, passes).
  await recordResults({
    run: { source: `marks-${tag}`, id: "r1" },
    modules: [{ slug, versions: [{ version: "1.0", declaredKernelMin: "5.10", declaredKernelMax: "6.6" }] }],
    results: [
      { module: slug, moduleVersion: "1.0", kernel: K61, arch: "x86_64", stage: "build", status: "pass" },
      { module: slug, moduleVersion: "1.0", kernel: K61, arch: "aarch64", stage: "build", status: "fail", errorLine: "error: x" },
      { module: slug, moduleVersion: "1.0", kernel: K612, arch: "x86_64", stage: "build", status: "pass" },
      { module: slug, moduleVersion: "1.0", kernel: K612, arch: "aarch64", stage: "build", status: "skip" },
    ],
  });
  ids.v = (await db().moduleVersion.findFirstOrThrow({ where: { module: { slug } } })).id;
  ids.k61 = (await db().kernel.findUniqueOrThrow({ where: { version: K61 } })).id;
  ids.k612 = (await db().kernel.findUniqueOrThrow({ where: { version: K612 } })).id;
});

describe("declared-vs-observed marks on the matrix", () => {
  it("all arches: any disagreeing arch marks the cell", async () => {
    const marks = await declaredMismatchIndex(slug);
    expect(Object.fromEntries(marks)).toEqual({ [`${ids.v}:${ids.k61}`]: expect.any(String), [`${ids.v}:${ids.k612}`]: expect.any(String) });
    expect(marks.get(`${ids.v}:${ids.k61}`)).not.toBe(marks.get(`${ids.v}:${ids.k612}`));
  });

  it("filtered to one arch: only that arch's disagreements", async () => {
    expect([...(await declaredMismatchIndex(slug, { arch: "x86_64" })).keys()]).toEqual([`${ids.v}:${ids.k612}`]);
    expect([...(await declaredMismatchIndex(slug, { arch: "aarch64" })).keys()]).toEqual([`${ids.v}:${ids.k61}`]);
    expect((await declaredMismatchIndex(slug, { arch: "s390x" })).size).toBe(0);
  });

  it("only the kernels the matrix shows", async () => {
    expect([...(await declaredMismatchIndex(slug, { kernelIds: new Set([ids.k61]) })).keys()]).toEqual([`${ids.v}:${ids.k61}`]);
  });
});
