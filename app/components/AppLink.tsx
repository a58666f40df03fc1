import Link from "next/link";
import type { ComponentProps } from "react";

/**
 * Every link inside the app (eslint forbids `next/link` elsewhere). Next prefetches a `<Link>` as
 * soon as it scrolls into view, and each prefetch is a server render of the target's payload: one
 * view of the landing page in a browser made 40 such requests and cost the server about 3–5× the
 * CPU of the page itself (issue 11). Links here fetch the target when clicked; the pages' loading
 * states cover the wait. A caller may still pass `prefetch` for a link worth it.
 */
export function AppLink(props: ComponentProps<typeof Link>) {
  return <Link prefetch={false} {...props} />;
}
