/**
 * First real error line of a build log, normalised so that the same error in two builds (other
 * paths, line numbers, gcc's typographic quotes, compiler versions) compares equal.
 */

const LOCATION = /^(?:[^\s:]+?:)?(?:\d+:){1,2}\s*/; // "file.c:12:9: " or "12:9: "
const COMPILER_ERROR = /^(?<loc>\S+?:\d+(?::\d+)?):\s*(?<kind>fatal error|error):\s*(?<msg>.+)$/;
const BARE_COMPILER_ERROR = /^(?:cc1|gcc|clang|ld|ld\.bfd|ld\.lld)?:?\s*(?<kind>fatal error|error):\s*(?<msg>.+)$/;
const MODPOST = /^ERROR:\s*modpost:\s*(?<msg>.+)$/;
const CONFIGURE = /^configure:\s*error:\s*(?<msg>.+)$/;
const UNDEFINED_REF = /undefined reference to [`'‘"](?<sym>[^`'’"]+)[`'’"]/;

/** Turn gcc's typographic and backtick quotes into plain single quotes. */
export function normaliseQuotes(s: string): string {
  return s.replace(/[‘’`´]/g, "'").replace(/[“”"]/g, "'");
}

function stripNoise(msg: string): string {
  return normaliseQuotes(msg)
    .replace(/\s*\[-W[^\]]*\]\s*$/, "") // [-Werror=implicit-function-declaration]
    .replace(/;\s*did you mean '[^']*'\??\s*$/, "") // gcc's suggestion varies between versions
    .replace(/;\s*ISO C99 and later do not support implicit function declarations\s*$/, "")
    .replace(/(?:\/[\w.+~-]+)+\/([\w.+-]+\.(?:c|h|o|ko|S|mod))/g, "$1") // absolute paths → file name
    .replace(/\s+/g, " ")
    .trim();
}

export function normaliseErrorLine(line: string): string {
  const m = MODPOST.exec(line.trim());
  if (m?.groups) return `modpost: ${stripNoise(m.groups.msg).replace(/\s*\[[^\]]*\.ko\]/, "")}`;
  return stripNoise(line.trim().replace(LOCATION, "").replace(/^(?:fatal error|error):\s*/, ""));
}

/**
 * Find the first line that states the cause. Compiler diagnostics come first because make's own
 * "*** Error 2" lines only echo them; configure and linker errors are the fallbacks.
 */
export function extractErrorLine(log: string | null | undefined): string | null {
  if (!log) return null;
  const lines = log.split(/\r?\n/);
  for (const raw of lines) {
    const line = raw.trim();
    const c = COMPILER_ERROR.exec(line);
    if (c?.groups) {
      const msg = stripNoise(c.groups.msg);
      return c.groups.kind === "fatal error" && !/No such file/.test(msg) ? `fatal error: ${msg}` : msg;
    }
  }
  for (const raw of lines) {
    const line = raw.trim();
    const m = MODPOST.exec(line);
    if (m) return normaliseErrorLine(line);
    const b = BARE_COMPILER_ERROR.exec(line);
    if (b?.groups && !/^make/.test(line)) return stripNoise(b.groups.msg);
  }
  for (const raw of lines) {
    const line = raw.trim();
    const cfg = CONFIGURE.exec(line);
    if (cfg?.groups) return `configure: ${stripNoise(cfg.groups.msg)}`;
    const u = UNDEFINED_REF.exec(line);
    if (u?.groups) return `undefined reference to '${u.groups.sym}'`;
  }
  return null;
}

export const LOG_EXCERPT_MAX_BYTES = 16 * 1024;
const TRUNCATION_MARK = "\n[… log truncated by ModCompat …]\n";

/**
 * Cap a log at maxBytes (UTF-8). When it must be cut, keep the part around the first error,
 * because that is what a reader needs, plus the tail where make reports the final status.
 */
export function excerptLog(log: string, maxBytes = LOG_EXCERPT_MAX_BYTES): { excerpt: string; truncated: boolean } {
  if (byteLength(log) <= maxBytes) return { excerpt: log, truncated: false };
  const lines = log.split("\n");
  const firstErr = lines.findIndex((l) => COMPILER_ERROR.test(l.trim()) || MODPOST.test(l.trim()) || CONFIGURE.test(l.trim()));
  const budget = maxBytes - 2 * byteLength(TRUNCATION_MARK) - 16;
  const pick = (from: number, to: number) => lines.slice(Math.max(0, from), Math.max(0, to)).join("\n");
  let around = firstErr >= 0 ? pick(firstErr - 10, firstErr + 60) : "";
  const tailBudget = Math.max(0, budget - byteLength(around));
  let tail = "";
  for (let i = lines.length - 1; i > Math.max(firstErr + 60, 0); i--) {
    const next = lines[i] + (tail ? "\n" + tail : "");
    if (byteLength(next) > tailBudget / (firstErr >= 0 ? 2 : 1)) break;
    tail = next;
  }
  around = truncateBytes(around, budget - byteLength(tail));
  const excerpt = (around ? TRUNCATION_MARK.trimStart() + around : "") + TRUNCATION_MARK + tail;
  return { excerpt: truncateBytes(excerpt, maxBytes), truncated: true };
}

const encoder = new TextEncoder();
function byteLength(s: string): number {
  return encoder.encode(s).length;
}

function truncateBytes(s: string, maxBytes: number): string {
  if (maxBytes <= 0) return "";
  const buf = encoder.encode(s);
  if (buf.length <= maxBytes) return s;
  // Cut on a character boundary: drop a trailing partial UTF-8 sequence.
  return new TextDecoder().decode(buf.subarray(0, maxBytes)).replace(/\uFFFD$/, "");
}
