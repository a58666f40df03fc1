import { readdirSync, statSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import type { z } from "zod";
import { GET as badgeGet } from "@/app/api/v1/badge/[module]/[target]/route";
import { GET as openapiGet } from "@/app/api/v1/openapi.json/route";
import { GET as modulesGet } from "@/app/api/v1/modules/route";
import { GET as moduleGet } from "@/app/api/v1/modules/[slug]/route";
import { GET as matrixGet } from "@/app/api/v1/modules/[slug]/matrix/route";
import { GET as cellGet } from "@/app/api/v1/modules/[slug]/versions/[version]/kernels/[kernel]/route";
import { GET as kernelsGet } from "@/app/api/v1/kernels/route";
import { GET as kernelGet } from "@/app/api/v1/kernels/[version]/route";
import { GET as knownGet } from "@/app/api/v1/results/known/route";
import { openApiDocument, type OpenApiDocument } from "@/lib/openapi/document";
import {
  cellResponseSchema,
  kernelListResponseSchema,
  kernelResponseSchema,
  knownResultsResponseSchema,
  matrixResponseSchema,
  moduleListResponseSchema,
  moduleResponseSchema,
} from "@/lib/schemas/read";
import { recordResults } from "@/lib/services/record-results";
import { result } from "./helpers";

const SLUG = "bdg-v4l2loopback";
const ctx = (params: Record<string, string>) => ({ params: Promise.resolve(params) });

beforeAll(async () => {
  const r = (moduleVersion: string, kernel: string, status: "pass" | "fail") =>
    result({ module: SLUG, moduleVersion, kernel, status, ...(status === "fail" ? { errorLine: "implicit declaration of function 'strlcpy'" } : {}) });
  await recordResults({
    run: { source: "badge-openapi-test", id: `fixture-${Date.now()}` },
    results: [
      r("0.12.7", "6.1.0-56-amd64", "pass"),
      r("0.12.7", "6.12.95+deb12-amd64", "pass"),
      r("0.12.7", "6.12.107+deb12-amd64", "fail"),
      r("0.13.2", "6.12.107+deb12-amd64", "pass"),
    ],
  });
});

async function badge(module: string, target: string, query = "") {
  const res = await badgeGet(new Request(`http://x/api/v1/badge/${module}/${target}${query}`), ctx({ module, target }));
  return { res, svg: await res.text() };
}

describe("GET /api/v1/badge/{module}/{kernel-or-series}.svg", () => {
  it("a module version on a kernel: label, verdict, colour, cache headers", async () => {
    const { res, svg } = await badge(SLUG, "6.12.107+deb12-amd64.svg", "?version=0.12.7");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("image/svg+xml; charset=utf-8");
    expect(res.headers.get("cache-control")).toContain("max-age=300");
    expect(svg).toMatch(/^<svg/);
    expect(svg).toContain(`${SLUG} 0.12.7`);
    expect(svg).toContain("6.12.107+deb12-amd64: broken");
    expect(svg).toContain(`fill="#dd4343"`); // badge-maker's red
  });

  it("a series is judged on its newest kernel with a result for the version", async () => {
    const { res, svg } = await badge(SLUG, "6.12.svg", "?version=0.12.7");
    expect(res.headers.get("x-modcompat-kernel")).toBe("6.12.107+deb12-amd64");
    expect(svg).toContain("6.12: broken");
  });

  it("without ?version, the newest version", async () => {
    const { svg } = await badge(SLUG, "6.12.svg");
    expect(svg).toContain(`${SLUG} 0.13.2`);
    expect(svg).toContain("6.12: works");
  });

  it.each([
    ["no-such-module-bdg", "6.12.svg", "", 404, "unknown module"],
    [SLUG, "6.12.svg", "?version=9.9.9", 404, "unknown version"],
    [SLUG, "banana.svg", "", 422, "banana: not a kernel"],
    ["Not A Slug", "6.12.svg", "", 404, "unknown module"],
  ])("a grey badge for %s %s%s", async (module, target, query, status, text) => {
    const { res, svg } = await badge(module, target, query);
    expect(res.status).toBe(status);
    expect(res.headers.get("content-type")).toContain("image/svg+xml");
    expect(svg).toContain(text);
  });
});

// Every route file under app/api/v1, as the path OpenAPI should list: [slug] → {slug}.
function routePaths(dir: string, prefix = "/api/v1"): { path: string; methods: string[] }[] {
  const out: { path: string; methods: string[] }[] = [];
  for (const name of readdirSync(dir)) {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) {
      const seg = name.replace(/^\[\.\.\.(.+)\]$/, "{$1}").replace(/^\[(.+)\]$/, "{$1}");
      out.push(...routePaths(full, `${prefix}/${seg}`));
    } else if (name === "route.ts") {
      out.push({ path: prefix, methods: [] });
    }
  }
  return out;
}

describe("GET /api/v1/openapi.json", () => {
  let doc: OpenApiDocument;
  beforeAll(async () => {
    const res = await openapiGet(new Request("http://x/api/v1/openapi.json"), ctx({}));
    expect(res.status).toBe(200);
    doc = (await res.json()) as OpenApiDocument;
  });

  it("is OpenAPI 3.1 and serialises the same document the page renders", () => {
    expect(doc.openapi).toBe("3.1.0");
    expect(doc).toEqual(JSON.parse(JSON.stringify(openApiDocument())));
  });

  it("lists every route of the public API, with the methods its file exports", async () => {
    const api = path.resolve(import.meta.dirname, "../../app/api/v1");
    const routes = routePaths(api);
    expect(routes.length).toBeGreaterThan(10);
    for (const r of routes) {
      // The badge route's last segment is "{target}.svg" in the document.
      const documented = doc.paths[r.path] ?? doc.paths[`${r.path}.svg`];
      expect(documented, `${r.path} is not in the OpenAPI document`).toBeDefined();
      const file = path.join(api, ...r.path.replace("/api/v1", "").split("/").filter(Boolean).map((s) => s.replace(/^\{(.+)\}$/, (_m, n) => (n === "symbol" ? `[...${n}]` : `[${n}]`))), "route.ts");
      const mod = (await import(/* @vite-ignore */ file)) as Record<string, unknown>;
      const exported = ["GET", "POST", "PUT", "PATCH", "DELETE"].filter((m) => typeof mod[m] === "function").map((m) => m.toLowerCase());
      expect(Object.keys(documented!).sort(), r.path).toEqual(exported.sort());
    }
  });

  it("resolves every $ref", () => {
    const refs = JSON.stringify(doc).match(/"\$ref":"#\/components\/schemas\/[^"]+"/g) ?? [];
    expect(refs.length).toBeGreaterThan(10);
    for (const ref of refs) {
      const name = ref.slice('"$ref":"#/components/schemas/'.length, -1);
      expect(doc.components.schemas[name], name).toBeDefined();
    }
  });

  it("describes the check contract from its zod schema", () => {
    const check = doc.components.schemas.CheckResponse as { properties: Record<string, { properties?: Record<string, unknown> }>; required: string[] };
    expect(check.required).toEqual(expect.arrayContaining(["kernel", "outcome", "modules", "newestSafeKernel", "links"]));
    const verdict = JSON.stringify(doc.components.schemas.CheckResponse);
    for (const v of ["works", "likely", "broken", "unsupported", "unknown"]) expect(verdict).toContain(`"${v}"`);
    const params = doc.paths["/api/v1/check"].get!.parameters!.map((p) => `${p.name}:${p.required}`);
    expect(params).toEqual(["kernel:true", "module:true", "arch:false"]);
    expect(Object.keys(doc.paths["/api/v1/check"].post!.requestBody!.content)).toEqual(["application/json", "text/plain"]);
  });

  it("documents the read API with shapes the real responses have", async () => {
    const cases: [string, Response, z.ZodType][] = [
      ["modules", await modulesGet(new Request("http://x/api/v1/modules"), ctx({})), moduleListResponseSchema],
      ["module", await moduleGet(new Request(`http://x/api/v1/modules/${SLUG}`), ctx({ slug: SLUG })), moduleResponseSchema],
      ["matrix", await matrixGet(new Request(`http://x/api/v1/modules/${SLUG}/matrix?expand=6.12`), ctx({ slug: SLUG })), matrixResponseSchema],
      [
        "cell",
        await cellGet(new Request("http://x/cell"), ctx({ slug: SLUG, version: "0.12.7", kernel: "6.12.107+deb12-amd64" })),
        cellResponseSchema,
      ],
      ["kernels", await kernelsGet(new Request("http://x/api/v1/kernels"), ctx({})), kernelListResponseSchema],
      ["kernel", await kernelGet(new Request("http://x/k"), ctx({ version: "6.12.107+deb12-amd64" })), kernelResponseSchema],
      ["known", await knownGet(new Request("http://x/api/v1/results/known?source=badge-openapi-test"), ctx({})), knownResultsResponseSchema],
    ];
    for (const [name, res, schema] of cases) {
      const body = await res.json();
      expect(res.status, `${name}: ${JSON.stringify(body).slice(0, 300)}`).toBe(200);
      const parsed = schema.safeParse(body);
      expect(parsed.success, `${name} does not match its documented schema: ${JSON.stringify(parsed.error?.issues.slice(0, 3))}`).toBe(true);
    }
  });
});
