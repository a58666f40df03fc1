import { existsSync } from "node:fs";
import { randomBytes } from "node:crypto";
import { expect } from "vitest";
import { POST } from "@/app/api/v1/results/route";
import { db } from "@/lib/db/client";
import type { RouteCtx } from "@/lib/http/route";
import { apiErrorSchema, type ApiError, type IngestBody, type IngestResult } from "@/lib/schemas/ingest";
import { createToken } from "@/lib/services/tokens";

/** A suffix that makes this file's modules, kernels, runs and tokens its own in the shared test DB. */
export function uniqueTag(): string {
  return `${Date.now().toString(36)}${randomBytes(3).toString("hex")}`;
}

/** A number to build kernel strings nobody else uses (Debian/Ubuntu ABI numbers have no upper bound). */
export function uniqueAbi(): number {
  return 100_000 + Math.floor(Math.random() * 899_000_000);
}

export async function newToken(tag = uniqueTag()): Promise<string> {
  return (await createToken(`test-${tag}`)).token;
}

export interface PostOptions {
  token?: string | null;
  contentType?: string | null;
  /** sent as is instead of JSON.stringify(body) */
  raw?: string | ReadableStream<Uint8Array>;
  headers?: Record<string, string>;
}

/** Calls the real POST /api/v1/results handler with a real Request. */
export async function postResults(body: unknown, opts: PostOptions = {}): Promise<Response> {
  const headers: Record<string, string> = { ...opts.headers };
  if (opts.contentType !== null) headers["content-type"] = opts.contentType ?? "application/json";
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  const init: RequestInit & { duplex?: "half" } = { method: "POST", headers, body: opts.raw ?? JSON.stringify(body) };
  if (opts.raw instanceof ReadableStream) init.duplex = "half";
  return POST(new Request("http://localhost/api/v1/results", init), { params: Promise.resolve({}) });
}

/** Calls a GET route handler the way Next does: a Request plus a promise of the path params. */
export async function get(
  handler: (req: Request, ctx: RouteCtx) => Promise<Response>,
  url: string,
  params: Record<string, string> = {},
): Promise<Response> {
  return handler(new Request(new URL(url, "http://localhost")), { params: Promise.resolve(params) });
}

/** Asserts the one error shape of the API and returns it. */
export async function expectError(res: Response, status: number, code: string): Promise<ApiError["error"]> {
  const json: unknown = await res.json();
  const parsed = apiErrorSchema.safeParse(json);
  expect(parsed.success, `not the API error shape: ${JSON.stringify(json)}`).toBe(true);
  expect({ status: res.status, code: parsed.data!.error.code }).toEqual({ status, code });
  expect(Object.keys(json as object)).toEqual(["error"]);
  expect(parsed.data!.error.message.length).toBeGreaterThan(0);
  return parsed.data!.error;
}

export interface TableCounts {
  run: number;
  result: number;
  module: number;
  moduleVersion: number;
  kernel: number;
  cell: number;
}

export async function tableCounts(): Promise<TableCounts> {
  const [run, result, module, moduleVersion, kernel, cell] = await Promise.all([
    db().run.count(),
    db().result.count(),
    db().module.count(),
    db().moduleVersion.count(),
    db().kernel.count(),
    db().cell.count(),
  ]);
  return { run, result, module, moduleVersion, kernel, cell };
}

export const GCC_STRLCPY_LOG = [
  "make -C /lib/modules/6.12.107+deb12-amd64/build M=/var/lib/dkms/v4l2loopback/0.12.7/build modules",
  "  CC [M]  /var/lib/dkms/v4l2loopback/0.12.7/build/v4l2loopback.o",
  "/var/lib/dkms/v4l2loopback/0.12.7/build/v4l2loopback.c: In function ‘vidioc_querycap’:",
  "/var/lib/dkms/v4l2loopback/0.12.7/build/v4l2loopback.c:702:9: error: implicit declaration of function ‘strlcpy’; did you mean ‘strscpy’? [-Werror=implicit-function-declaration]",
  "  702 |         strlcpy(cap->driver, \"v4l2 loopback\", sizeof(cap->driver));",
  "cc1: some warnings being treated as errors",
  "make[3]: *** [/usr/src/linux-headers-6.12.107+deb12-common/scripts/Makefile.build:229: v4l2loopback.o] Error 1",
  "make: *** [Makefile:47: v4l2loopback.ko] Error 2",
].join("\n");

export function result(over: Partial<IngestResult> & Pick<IngestResult, "module" | "kernel">): IngestResult {
  return { moduleVersion: "1.0.0", arch: "x86_64", stage: "build", status: "pass", ...over };
}

export function ingestBody(source: string, id: string, results: IngestResult[], run: Partial<IngestBody["run"]> = {}): IngestBody {
  return { run: { source, id, ...run }, results };
}

/**
 * Real Debian header packages of two kernels (scripts/ensure-test-packages.sh installs both), for
 * the tests that import kernel API snapshots; `present` says whether this machine has them.
 */
export const HEADERS_OLD = "/usr/src/linux-headers-6.1.0-56-amd64";
export const HEADERS_NEW = "/usr/src/linux-headers-6.12.107+deb12-amd64";
export const headersPresent = existsSync(`${HEADERS_OLD}/Module.symvers`) && existsSync(`${HEADERS_NEW}/Module.symvers`);
