/**
 * First real error line of a build log, normalised so that the same error in two builds (other
 * paths, line numbers, gcc's typographic quotes, compiler versions) compares equal.
 */

const LOCATION = /^(?:[^\s:]+?:)?(?:\d+:){1,2}\s*/; // "file.c:12:9: " or "12:9: "
/** A compiler diagnostic that is an error ("file.c:12:9: error: …"); lib/runner/classify.ts uses it too. */
export const COMPILER_ERROR = /^(?<loc>\S+?:\d+(?::\d+)?):\s*(?<kind>fatal error|error):\s*(?<msg>.+)$/;
const BARE_COMPILER_ERROR = /^(?:cc1|gcc|clang|ld|ld\.bfd|ld\.lld)?:?\s*(?<kind>fatal error|error):\s*(?<msg>.+)$/;
/** A modpost error (unresolved symbols, section mismatches made fatal); shared with classify.ts. */
export const MODPOST = /^ERROR:\s*modpost:\s*(?<msg>.+)$/;
const CONFIGURE = /^configure:\s*error:\s*(?<msg>.*)$/;
const UNDEFINED_REF = /undefined reference to [`'‘"](?<sym>[^`'’"]+)[`'’"]/;

/**
 * Turn gcc's typographic and backtick quotes into plain single quotes, also those of other
 * locales: German „…“ and ‚…‘, French and Swiss «…» and ‹…›, and »…« (German, Danish …), so a
 * log built under LANG=de_DE names the same symbol as one built under C.
 */
export function normaliseQuotes(s: string): string {
  return s.replace(/[‘’‚‛`´‹›]/g, "'").replace(/[“”„‟"«»]/g, "'");
}

function stripNoise(msg: string): string {
  return normaliseQuotes(msg)
    .replaceAll("\u0000", "") // PostgreSQL text cannot hold NUL
    .replace(/\s*\[-W[^\]]*\]\s*$/, "") // [-Werror=implicit-function-declaration]
    .replace(/;\s*did you mean '[^']*'\??\s*$/, "") // gcc's suggestion varies between versions
    .replace(/;\s*ISO C99 and later do not support implicit function declarations\s*$/, "")
    .replace(/(?:\/[\w.+~-]+)+\/([\w.+-]+\.(?:c|h|o|ko|S|mod))/g, "$1") // absolute paths → file name
    .replace(/\s+/g, " ")
    .trim();
}

export function normaliseErrorLine(line: string): string {
  // A line extractErrorLine recognises gets exactly its form, so both compare equal.
  const known = extractErrorLine(line);
  if (known !== null) return known;
  const m = MODPOST.exec(line.trim());
  if (m?.groups) return `modpost: ${stripNoise(m.groups.msg).replace(/\s*\[[^\]]*\.ko\]/, "")}`;
  return stripNoise(line.trim().replace(LOCATION, "").replace(/^(?:fatal error|error):\s*/, ""));
}

/**
 * Find the first line that states the cause. Compiler diagnostics come first because make's own
 * "*** Error 2" lines only echo them; configure and linker errors are the fallbacks.
 */
export function extractErrorLine(log: string | null | undefined): string | null {
  return log ? (findErrorLine(log.split(/\r?\n/))?.text ?? null) : null;
}

/** A missing file says enough by itself; other fatal errors keep their kind (cc1 crashes, ENOSPC …). */
function withKind(kind: string, msg: string): string {
  return kind === "fatal error" && !/No such file/.test(msg) ? `fatal error: ${msg}` : msg;
}

/** The normalised cause and the index of the line it came from (so excerpts can keep it). */
function findErrorLine(lines: readonly string[]): { index: number; text: string } | null {
  for (let i = 0; i < lines.length; i++) {
    const c = COMPILER_ERROR.exec(lines[i].trim());
    if (c?.groups) {
      return { index: i, text: withKind(c.groups.kind, stripNoise(c.groups.msg)) };
    }
  }
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].trim();
    const m = MODPOST.exec(line);
    if (m?.groups) return { index: i, text: `modpost: ${stripNoise(m.groups.msg).replace(/\s*\[[^\]]*\.ko\]/, "")}` };
    const b = BARE_COMPILER_ERROR.exec(line);
    if (b?.groups && !/^make/.test(line)) return { index: i, text: withKind(b.groups.kind, stripNoise(b.groups.msg)) };
  }
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].trim();
    const cfg = CONFIGURE.exec(line);
    if (cfg?.groups) {
      // autoconf often puts the message on the lines after a bare "configure: error:" (OpenZFS does).
      const msg = cfg.groups.msg.trim() || (lines.slice(i + 1).find((l) => l.trim() !== "") ?? "").trim();
      if (msg) return { index: i, text: `configure: ${stripNoise(msg)}` };
    }
    const u = UNDEFINED_REF.exec(line);
    if (u?.groups) return { index: i, text: `undefined reference to '${u.groups.sym}'` };
  }
  return null;
}

export const LOG_EXCERPT_MAX_BYTES = 16 * 1024;
const TRUNCATION_MARK = "\n[… log truncated by ModCompat …]\n";

/**
 * Cap a log at maxBytes (UTF-8). When it must be cut, keep the part around the first error,
 * because that is what a reader needs, plus the tail where make reports the final status.
 */
export function excerptLog(rawLog: string, maxBytes = LOG_EXCERPT_MAX_BYTES): { excerpt: string; truncated: boolean } {
  // Build output can contain NUL bytes (binary garbage); PostgreSQL text cannot store them.
  const log = rawLog.replaceAll("\u0000", "");
  if (byteLength(log) <= maxBytes) return { excerpt: log, truncated: false };
  const lines = log.split("\n");
  const firstErr = findErrorLine(lines)?.index ?? -1;
  const budget = maxBytes - 2 * byteLength(TRUNCATION_MARK) - 16;
  // Budgets are in bytes, not lines: verbose (V=1) builds print compiler command lines of several
  // KiB, and a fixed number of context lines would push the error itself out of the excerpt.
  let around = "";
  let aroundStart = 0;
  let aroundEnd = 0;
  if (firstErr >= 0) {
    // Half the budget for the error and its context: up to 10 lines before (at most a quarter of
    // that half, as long as they fit), then up to 60 lines after.
    const aroundBudget = Math.floor(budget / 2);
    const errLine = truncateBytes(lines[firstErr], aroundBudget);
    let used = byteLength(errLine);
    let before = 0;
    aroundStart = firstErr;
    while (aroundStart > 0 && firstErr - aroundStart < 10) {
      const size = byteLength(lines[aroundStart - 1]) + 1;
      if (before + size > aroundBudget / 4 || used + size > aroundBudget) break;
      aroundStart -= 1;
      before += size;
      used += size;
    }
    aroundEnd = firstErr + 1;
    while (aroundEnd < lines.length && aroundEnd - firstErr <= 60) {
      const size = byteLength(lines[aroundEnd]) + 1;
      if (used + size > aroundBudget) break;
      aroundEnd += 1;
      used += size;
    }
    around = [...lines.slice(aroundStart, firstErr), errLine, ...lines.slice(firstErr + 1, aroundEnd)].join("\n");
  }
  const tailBudget = budget - byteLength(around);
  let tail = "";
  for (let i = lines.length - 1; i >= aroundEnd; i--) {
    const next = lines[i] + (tail ? "\n" + tail : "");
    if (byteLength(next) > tailBudget) break;
    tail = next;
  }
  // A last line longer than the whole budget (a log without newlines) still shows its end.
  if (!tail && aroundEnd < lines.length) tail = lastBytes(lines[lines.length - 1], tailBudget);
  const head = around ? (aroundStart > 0 ? TRUNCATION_MARK.trimStart() : "") + around : "";
  const excerpt = head + TRUNCATION_MARK + tail;
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

function lastBytes(s: string, maxBytes: number): string {
  if (maxBytes <= 0) return "";
  const buf = encoder.encode(s);
  if (buf.length <= maxBytes) return s;
  // Drop a leading partial UTF-8 sequence.
  return new TextDecoder().decode(buf.subarray(buf.length - maxBytes)).replace(/^\uFFFD+/, "");
}
