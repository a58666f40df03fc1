/**
 * The comparison and sort-key core shared by kernel versions (kernel-version.ts) and module
 * versions (module-version.ts). Each keeps its own tokens and rules; the pieces here are the ones
 * both orderings are made of, written once.
 */

export function sign(n: number): number {
  return n < 0 ? -1 : n > 0 ? 1 : 0;
}

export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Digit strings without leading zeros, compared as numbers of any length. */
export function compareDigits(a: string, b: string): number {
  return sign(a.length - b.length) || compareText(a, b);
}

/** Null (absent) first. */
export function compareNullable<T>(a: T | null, b: T | null, cmp: (x: T, y: T) => number): number {
  if (a === null || b === null) return a === b ? 0 : a === null ? -1 : 1;
  return cmp(a, b);
}

/** Item by item; a list that ends first is the smaller. */
export function compareLists<T>(a: readonly T[], b: readonly T[], cmp: (x: T, y: T) => number): number {
  for (let i = 0; ; i++) {
    const x = a[i];
    const y = b[i];
    if (x === undefined || y === undefined) return x === y ? 0 : x === undefined ? -1 : 1;
    const c = cmp(x, y);
    if (c) return c;
  }
}

// Sort keys: digits only, each part self-delimiting, so comparing concatenations compares part by part.

export function pad(n: number, width: number): string {
  return String(n).padStart(width, "0");
}

/** Length-prefixed, so any number of digits orders numerically. */
export function encodeDigits(digits: string): string {
  return pad(digits.length, 3) + digits;
}

/** Each printable ASCII char as two digits (01–94), so "00" can terminate a string. */
export function encodeText(s: string): string {
  let out = "";
  for (let i = 0; i < s.length; i++) out += pad(s.charCodeAt(i) - 0x20, 2);
  return out;
}
