import { describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { loadBody } from "@/lib/services/load-demo";
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
