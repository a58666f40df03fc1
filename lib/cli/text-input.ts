/**
 * Text the CLI reads (`dkms status` output) and prints. A binary or undecodable file is refused
 * (the check must fail closed: "nothing to check" would let a kernel hook wave an upgrade
 * through), and nothing read from a file or a server reaches the terminal with its control bytes.
 */
const CONTROL = /[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]/;

/** The text, or why it is not text: invalid UTF-8, or a control byte other than tab/newline/CR. */
export function decodeTextInput(buf: Uint8Array): { ok: true; text: string } | { ok: false; reason: string } {
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(buf);
  } catch {
    const at = firstInvalidUtf8(buf);
    return { ok: false, reason: `it is not UTF-8 text (invalid byte 0x${buf[at]?.toString(16).padStart(2, "0") ?? "??"} at offset ${at})` };
  }
  const m = CONTROL.exec(text);
  if (m) return { ok: false, reason: `it contains binary data (control character U+${m[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, "0")} at character ${m.index})` };
  return { ok: true, text };
}

/** For the terminal: control characters (and ESC sequences with them) become visible escapes. */
export function printable(s: string): string {
  return s.replace(/[\x00-\x08\x0b-\x1f\x7f-\x9f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, "0")}`);
}

function firstInvalidUtf8(buf: Uint8Array): number {
  const dec = new TextDecoder("utf-8", { fatal: true });
  let lo = 0;
  let hi = buf.length;
  // The longest valid prefix, by bisection: decoding is all-or-nothing.
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    try {
      dec.decode(buf.subarray(0, mid));
      lo = mid;
    } catch {
      hi = mid - 1;
    }
  }
  return lo;
}
