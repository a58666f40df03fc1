import { unstorableText } from "../schemas/storable";

/**
 * A page's path segment decoded, or null when it cannot name anything: broken percent-encoding
 * (`%E0%A4%A`) makes decodeURIComponent throw, and a NUL makes PostgreSQL fail. Pages answer 404.
 * proxy.ts refuses such URLs first; this keeps pages safe wherever they are rendered from.
 */
export function decodeSegment(segment: string): string | null {
  let s: string;
  try {
    s = decodeURIComponent(segment);
  } catch {
    return null;
  }
  return unstorableText(s) ? null : s;
}
