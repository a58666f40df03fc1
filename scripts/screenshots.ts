/**
 * Screenshots of the main pages at 1440 and 390 px, from a running app with the real demo loaded:
 *   npm start &   # or npm run dev
 *   npx tsx scripts/screenshots.ts [baseUrl]      (default http://127.0.0.1:3000; writes docs/*.png)
 * Each page's horizontal overflow at 390 px is printed too (it must be 0).
 */
import { chromium } from "@playwright/test";
import { mkdirSync } from "node:fs";
import path from "node:path";

const base = (process.argv[2] ?? process.env.MODCOMPAT_BASE_URL ?? "http://127.0.0.1:3000").replace(/\/$/, "");
const out = path.resolve(process.env.SCREENSHOT_DIR ?? "docs");
const only = process.env.SCREENSHOT_PAGES?.split(",");

async function json<T>(p: string): Promise<T> {
  const res = await fetch(base + p);
  if (!res.ok) throw new Error(`${p}: ${res.status}`);
  return (await res.json()) as T;
}

async function pages(): Promise<[string, string][]> {
  const regs = await json<{ items: { id: number }[] }>("/api/v1/regressions?limit=1");
  const sigs = await json<{ signatures: { symbol: string }[] }>("/api/v1/signatures");
  const list: [string, string][] = [
    ["home", "/"],
    ["module", "/modules/v4l2loopback"],
    ["module-expanded", "/modules/v4l2loopback?expand=6.12"],
    ["history", "/modules/v4l2loopback/history"],
    ["check", "/check?kernel=6.12.107%2Bdeb12-amd64&module=v4l2loopback%400.12.7&module=zfs%402.1.11"],
    ["kernel", "/kernels/6.12.107%2Bdeb12-amd64"],
    ["regressions", "/regressions"],
    ["signatures", "/signatures"],
    ["upcoming", "/upcoming"],
    ["api-docs", "/api-docs"],
  ];
  if (regs.items[0]) list.push(["regression", `/regressions/${regs.items[0].id}`]);
  if (sigs.signatures[0]) list.push(["signature", `/signatures/${encodeURIComponent(sigs.signatures[0].symbol)}`]);
  return only ? list.filter(([name]) => only.includes(name)) : list;
}

mkdirSync(out, { recursive: true });
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking", "--no-first-run"],
});
try {
  for (const width of [1440, 390]) {
    const page = await browser.newPage({ viewport: { width, height: width > 500 ? 900 : 844 }, deviceScaleFactor: 1 });
    for (const [name, p] of await pages()) {
      await page.goto(base + p, { waitUntil: "networkidle" });
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      const file = path.join(out, `${name}-${width}.png`);
      await page.screenshot({ path: file, fullPage: false });
      console.log(`${width}px ${name.padEnd(16)} overflow ${overflow}px  ${path.relative(process.cwd(), file)}`);
    }
    await page.close();
  }
} finally {
  await browser.close();
}
