import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { chunkBodies } from "@/lib/schemas/ingest-chunks";
import { loadBody, loadFile } from "@/lib/services/load-demo";
import { result, uniqueAbi, uniqueTag } from "./helpers";

/** The demo loader splits big files into parts: every part must keep the kernels' metadata. */
describe("loadBody", () => {
  it("stores kernels[] (package, Linux version, release date and its source) even when the body is split into parts", async () => {
    const tag = uniqueTag();
    const abi = uniqueAbi();
    const kernel = `6.1.0-${abi}-amd64`;
    const results = Array.from({ length: 5001 }, (_, i) => result({ module: `demo-${tag}`, moduleVersion: `1.${i}`, kernel, status: "pass" }));
    const stored = await loadBody({
      run: { source: `demo-${tag}`, id: "r1" },
      kernels: [{ kernel, package: `linux-headers-${kernel}`, packageVersion: "6.1.192-3", upstreamVersion: "6.1.192", releasedAt: "2026-11-26T17:12:56Z", releasedAtSource: "Debian upload linux (6.1.192-3) bookworm-security" }],
      results,
    });
    expect(stored).toBe(5001);
    const k = await db().kernel.findUniqueOrThrow({ where: { version: kernel } });
    expect(k).toMatchObject({ upstreamVersion: "6.1.192", packageVersion: "6.1.192-3", releasedAtSource: "Debian upload linux (6.1.192-3) bookworm-security" });
    expect(k.releasedAt?.toISOString()).toBe("2026-11-26T17:12:56.000Z");
  });
});

/** `modcompat build --out` writes a run too large for one request as a JSON array of its parts. */
describe("loadFile", () => {
  it("loads a file that is an array of parts, every part, and names a bad part by its index", async () => {
    const tag = uniqueTag();
    const kernel = `6.1.0-${uniqueAbi()}-amd64`;
    const results = Array.from({ length: 7 }, (_, i) => result({ module: `parts-${tag}`, moduleVersion: `1.${i}`, kernel, status: "pass" }));
    const parts = chunkBodies({ source: `parts-${tag}`, id: "r1" }, undefined, results, 3);
    expect(parts.map((p) => p.run.id)).toEqual(["r1-part1", "r1-part2", "r1-part3"]);
    const dir = mkdtempSync(path.join(tmpdir(), "load-file-"));
    writeFileSync(path.join(dir, "parts.json"), JSON.stringify(parts));
    expect(await loadFile(path.join(dir, "parts.json"))).toBe(7);
    expect(await db().result.count({ where: { moduleVersion: { module: { slug: `parts-${tag}` } } } })).toBe(7);

    writeFileSync(path.join(dir, "bad.json"), JSON.stringify([parts[0], { ...parts[1], results: "x" }]));
    await expect(loadFile(path.join(dir, "bad.json"), "bad.json")).rejects.toThrow(/bad\.json is not a valid ingest body or array of bodies:[\s\S]*"path": \[\s*1,\s*"results"/);
  });
});
