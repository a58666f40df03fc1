"use client";

import Link, { useLinkStatus } from "next/link";
import type { ComponentProps } from "react";

/**
 * Every link inside the app (eslint forbids `next/link` elsewhere). Next prefetches a `<Link>` as
 * soon as it scrolls into view, and each prefetch is a server render of the target's payload: one
 * view of the landing page in a browser made 40 such requests and cost the server about 3–5× the
 * CPU of the page itself (issue 11). Links here fetch the target when clicked, and while it comes a
 * bar at the top of the window says so (useLinkStatus). A caller may still pass `prefetch`.
 *
 * A client component, as `next/link` is: in a server component's payload it costs what a `<Link>` did.
 */
export function AppLink({ children, ...props }: ComponentProps<typeof Link>) {
  return (
    <Link prefetch={false} {...props}>
      {children}
      <Pending />
    </Link>
  );
}

function Pending() {
  const { pending } = useLinkStatus();
  return pending ? <span role="status" aria-label="Loading the page" className="nav-pending" /> : null;
}
