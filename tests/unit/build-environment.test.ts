import { describe, expect, it } from "vitest";
import { parseCompilerText, selectEnvironment, type EnvCandidate } from "../../lib/domain/build-environment";

describe("parseCompilerText", () => {
  it.each([
    ["x86_64-linux-gnu-gcc-14 (Debian 14.2.0-19) 14.2.0", { family: "gcc", major: 14, version: "14.2.0" }],
    ["gcc-12 (Debian 12.2.0-14+deb12u1) 12.2.0", { family: "gcc", major: 12, version: "12.2.0" }],
    ["gcc (Debian 10.2.1-6) 10.2.1 20210110", { family: "gcc", major: 10, version: "10.2.1" }],
    ['"gcc-16 (Debian 16.2.0-3) 16.2.0"', { family: "gcc", major: 16, version: "16.2.0" }],
    ["Debian clang version 16.0.6 (15~deb12u1)", { family: "clang", major: 16, version: "16.0.6" }],
  ])("%s", (text, want) => expect(parseCompilerText(text)).toEqual(want));

  it.each([[""], [null], [undefined], ["tcc"], ["gcc"]])("unreadable: %s", (text) => expect(parseCompilerText(text)).toBeNull());
});

const gcc = (major: number) => parseCompilerText(`gcc (Debian ${major}.2.0-1) ${major}.2.0`);
const host: EnvCandidate = { name: "host", compiler: gcc(12), hasHeaders: false };
const trixie: EnvCandidate = { name: "trixie", compiler: gcc(14), hasHeaders: false };
const sid: EnvCandidate = { name: "sid", compiler: gcc(16), hasHeaders: false };
const with_ = (c: EnvCandidate, kernelCc: string): EnvCandidate => ({ ...c, hasHeaders: true, kernelCompilerText: kernelCc });

describe("selectEnvironment", () => {
  const cc12 = "x86_64-linux-gnu-gcc-12 (Debian 12.2.0-14+deb12u1) 12.2.0";
  const cc14 = "x86_64-linux-gnu-gcc-14 (Debian 14.2.0-19) 14.2.0";

  it("builds on the host when its compiler matches the headers'", () => {
    expect(selectEnvironment("6.1.0-56-amd64", [with_(host, cc12), trixie, sid])).toMatchObject({ ok: true, env: "host" });
  });
  it("prefers the host over a chroot that would also do", () => {
    expect(selectEnvironment("6.1.0-56-amd64", [with_(trixie, cc12), with_({ ...host, compiler: gcc(12) }, cc12)])).toMatchObject({ ok: true, env: "host" });
  });
  it("builds a Debian 13 kernel in the trixie chroot, not on a gcc 12 host that has its headers too", () => {
    expect(selectEnvironment("7.3.4+deb13-amd64", [with_(host, cc14), with_(trixie, cc14), sid])).toMatchObject({ ok: true, env: "trixie" });
  });
  it("refuses, naming the compiler needed, when no environment with the headers has it", () => {
    const c = selectEnvironment("7.3.4+deb13-amd64", [with_(host, cc14), trixie]);
    expect(c.ok).toBe(false);
    expect(!c.ok && c.reason).toMatch(/built with gcc 14.*host: gcc 12.*modcompat env create/);
  });
  it("says no environment has the headers", () => {
    expect(selectEnvironment("5.10.0-32-amd64", [host, trixie])).toEqual({ ok: false, reason: expect.stringMatching(/no environment has headers for 5\.10\.0-32-amd64/) });
  });
  it("takes headers that do not name their compiler where they are, host first", () => {
    expect(selectEnvironment("4.19.0-27-amd64", [{ ...trixie, hasHeaders: true }, { ...host, hasHeaders: true }])).toMatchObject({ ok: true, env: "host" });
  });
  it("--env wins when it has the headers, even with another compiler, and is never silently replaced", () => {
    expect(selectEnvironment("6.1.0-56-amd64", [with_(host, cc12), with_(trixie, cc12)], "trixie")).toMatchObject({ ok: true, env: "trixie" });
    expect(selectEnvironment("6.1.0-56-amd64", [with_(host, cc12), trixie], "trixie")).toMatchObject({ ok: false });
    expect(selectEnvironment("6.1.0-56-amd64", [with_(host, cc12)], "nope")).toEqual({ ok: false, reason: expect.stringMatching(/no build environment named "nope"/) });
  });
});
