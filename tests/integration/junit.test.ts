import { beforeAll, describe, expect, it } from "vitest";
import { GET as exportJunit } from "@/app/api/v1/export/junit/route";
import { POST } from "@/app/api/v1/import/junit/route";
import { expectError, get, newToken, tableCounts, uniqueAbi, uniqueTag } from "./helpers";
import { namedMatrix } from "./second-db";

const tag = uniqueTag();
const abi = uniqueAbi();
const K = `6.1.0-${abi}-amd64`;
let token: string;
beforeAll(async () => {
  token = await newToken(`junit-${tag}`);
});

function post(xml: string, query = "", type = "application/xml"): Promise<Response> {
  return POST(
    new Request(`http://localhost/api/v1/import/junit${query}`, { method: "POST", headers: { "content-type": type, authorization: `Bearer ${token}` }, body: xml }),
    { params: Promise.resolve({}) },
  );
}

const report = (mod: string) => `<testsuites><testsuite name="ci">
  <properties><property name="modcompat.module" value="${mod}"/><property name="modcompat.version" value="1.4.2"/></properties>
  <testcase name="build ${K}" time="3"><properties><property name="modcompat.kernel" value="${K}"/><property name="modcompat.stage" value="build"/></properties></testcase>
  <testcase name="load ${K}"><properties><property name="modcompat.kernel" value="${K}"/><property name="modcompat.stage" value="load"/></properties><failure message="Unknown symbol in module">insmod: ERROR</failure></testcase>
</testsuite></testsuites>`;

describe("POST /api/v1/import/junit", () => {
  it("stores a report as one run (properties give module, version, kernel; the query the arch); a resend is a replay", async () => {
    const mod = `ju-${tag}`;
    const res = await post(report(mod), "?arch=x86_64&source=gitlab-ci");
    const body = await res.json();
    expect(res.status, JSON.stringify(body)).toBe(201);
    expect(body).toMatchObject({ stored: 2, replayed: false, run: { source: "gitlab-ci" }, unmapped: [] });
    expect((await namedMatrix(mod)).map((c) => [c.kernel, c.status, c.errorLine])).toEqual([[K, "fail", "Unknown symbol in module"]]);
    const before = await tableCounts();
    const again = await post(report(mod), "?arch=x86_64&source=gitlab-ci");
    expect(again.status).toBe(200);
    expect(await again.json()).toMatchObject({ replayed: true, stored: 2 });
    expect(await tableCounts()).toEqual(before);
    // and GET /api/v1/export/junit writes them back out
    const out = await get(exportJunit, `/api/v1/export/junit?module=${mod}`);
    expect(out.headers.get("content-type")).toContain("application/xml");
    const xml = await out.text();
    expect(xml).toContain(`<testsuite name="${mod}@1.4.2" tests="2" failures="1" errors="0" skipped="0">`);
    expect(xml).toContain('<failure message="Unknown symbol in module" type="load"');
  });

  it("refuses unmappable test cases one by one, storing nothing; partial=1 stores the rest", async () => {
    const mod = `jp-${tag}`;
    const before = await tableCounts();
    const err = await expectError(await post(report(mod)), 422, "validation_failed");
    expect(err.issues).toHaveLength(2);
    expect(err.issues![0].message).toMatch(/^no arch/);
    expect(await tableCounts()).toEqual(before);
    const xml = report(mod).replace("</testsuite>", `<testcase name="x"><properties><property name="modcompat.kernel" value="??"/></properties></testcase></testsuite>`);
    const res = await post(xml, "?arch=x86_64&partial=1");
    expect(res.status).toBe(201);
    expect(await res.json()).toMatchObject({ stored: 2, unmapped: [{ index: 2, name: "ci › x" }] });
  });

  it("415 for JSON, 422 for XML that is no JUnit report", async () => {
    await expectError(await post("{}", "", "application/json"), 415, "unsupported_media_type");
    await expectError(await post("<html><body/></html>", "", "text/xml"), 422, "validation_failed");
  });
});
