import type { Metadata } from "next";
import { AppLink } from "@/app/components/AppLink";
import { connection } from "next/server";
import "./globals.css";
import { SkipLink } from "./components/SkipLink";

export const metadata: Metadata = {
  title: { default: "ModCompat — out-of-tree kernel module compatibility", template: "%s · ModCompat" },
  description: "Which versions of out-of-tree Linux kernel modules build on which kernels, from real DKMS builds.",
};

const NAV = [
  { href: "/", label: "Modules" },
  { href: "/check", label: "Pre-upgrade check" },
  { href: "/regressions", label: "Regressions" },
  { href: "/upcoming", label: "Upcoming kernels" },
  { href: "/api-docs", label: "API" },
];

export default async function RootLayout({ children }: Readonly<{ children: React.ReactNode }>) {
  // Every page renders per request, so Next can put this request's CSP nonce (proxy.ts) on its scripts.
  await connection();
  return (
    <html lang="en">
      <body className="min-h-screen bg-slate-50 text-slate-900 antialiased">
        <SkipLink />
        <header className="border-b border-slate-200 bg-white">
          <nav className="mx-auto flex max-w-7xl flex-wrap items-center gap-x-6 gap-y-1 px-4 py-3" aria-label="Main">
            <AppLink href="/" className="font-semibold tracking-tight text-slate-900">
              Mod<span className="text-emerald-700">Compat</span>
            </AppLink>
            {NAV.map((n) => (
              <AppLink key={n.href} href={n.href} className="inline-block py-0.5 text-sm text-slate-700 hover:text-slate-900">
                {n.label}
              </AppLink>
            ))}
          </nav>
        </header>
        <main id="main" tabIndex={-1} className="mx-auto max-w-7xl px-4 py-6 outline-none">{children}</main>
      </body>
    </html>
  );
}
