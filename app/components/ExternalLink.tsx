import type { ReactNode } from "react";
import { safeExternalUrl } from "@/lib/domain/safe-url";

/** Every link to a URL a reporter sent: no opener, no referrer, no endorsement. */
export const EXTERNAL_REL = "noopener noreferrer nofollow";

/**
 * A link to a reporter-supplied URL, only if it is http(s). Ingest accepts nothing else, but rows
 * stored before that rule may hold `data:` or `file:` URLs: those are shown as text, never linked.
 */
export function ExternalLink({ href, className, children }: { href: string | null | undefined; className?: string; children?: ReactNode }) {
  const url = safeExternalUrl(href);
  if (!url) return href ? <span className={className}>{children ?? href}</span> : null;
  return (
    <a href={url} className={className} rel={EXTERNAL_REL}>
      {children ?? url}
    </a>
  );
}
