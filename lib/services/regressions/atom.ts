import { Feed } from "feed";

/**
 * Atom documents through the `feed` package. It wraps titles and contents in CDATA marked
 * type="html", so everything we put there is HTML-escaped first: an error line such as
 * `<script>` arrives in a reader as text, and a `]]>` in it cannot end the CDATA section.
 */

export function escapeHtml(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#39;");
}

export interface AtomEntry {
  id: string;
  /** plain text; escaped here */
  title: string;
  link: string;
  date: Date;
  /** HTML built with escapeHtml for every interpolated value */
  html: string;
}

export function renderAtom(opts: { id: string; title: string; subtitle: string; selfUrl: string; alternateUrl: string; entries: AtomEntry[] }): string {
  const updated = opts.entries.reduce<Date | null>((max, e) => (!max || e.date > max ? e.date : max), null) ?? new Date(0);
  const feed = new Feed({
    id: opts.id,
    title: opts.title,
    description: opts.subtitle,
    link: opts.alternateUrl,
    feed: opts.selfUrl,
    updated,
    generator: "ModCompat",
    copyright: "Build results as reported by their sources",
  });
  for (const e of opts.entries) {
    feed.addItem({ id: e.id, title: escapeHtml(e.title), link: e.link, date: e.date, content: e.html });
  }
  return feed.atom1();
}
