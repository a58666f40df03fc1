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
  /** absolute URLs, like every link in a feed */
  id: string;
  /** plain text; escaped here */
  title: string;
  link: string;
  date: Date;
  /** HTML built with escapeHtml for every interpolated value */
  html: string;
}

export interface AtomDocument {
  id: string;
  title: string;
  subtitle: string;
  selfUrl: string;
  alternateUrl: string;
  entries: AtomEntry[];
}

export function renderAtom(doc: AtomDocument): string {
  const updated = doc.entries.reduce<Date | null>((max, e) => (!max || e.date > max ? e.date : max), null) ?? new Date(0);
  const feed = new Feed({
    id: doc.id,
    title: doc.title,
    description: doc.subtitle,
    link: doc.alternateUrl,
    feed: doc.selfUrl,
    updated,
    generator: "ModCompat",
    copyright: "Build results as reported by their sources",
  });
  for (const e of doc.entries) {
    feed.addItem({ id: e.id, title: escapeHtml(e.title), link: e.link, date: e.date, content: e.html });
  }
  return feed.atom1();
}

/** An Atom document as the HTTP answer. */
export function atomResponse(doc: AtomDocument): Response {
  return new Response(renderAtom(doc), { headers: { "content-type": "application/atom+xml; charset=utf-8", "cache-control": "public, max-age=300" } });
}
