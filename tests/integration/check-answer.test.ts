import pg from "pg";
import { describe, expect, it } from "vitest";
import { GET } from "@/app/api/v1/check/route";
import { checkResponseSchema } from "@/lib/schemas/check";
import type { IngestBody } from "@/lib/schemas/ingest";
import { answerCheck, checkAnswerKey, checkAnswersBuilt, checkWithUpgrades } from "@/lib/services/check/check-answer";
import { forgetCheckCache, keptAnswer } from "@/lib/services/check/check-cache";
import { recordResults } from "@/lib/services/record-results";
import { RESULTS_CHANNEL, resultsGeneration } from "@/lib/services/check/results-listener";
import { db } from "@/lib/db/client";
import { result, uniqueTag } from "./helpers";

/**
 * The whole check answer kept per data stamp (issue 14): the kept answer is the answer, any new
 * result makes the next check build it again, and answers a prediction may be added to are never kept.
 */
const tag = uniqueTag();
const slug = `ans-${tag}`;
const build = (moduleVersion: string, kernel: string, status: "pass" | "fail", finishedAt: string): IngestBody["results"][number] =>
  result({ module: slug, moduleVersion, kernel, status, finishedAt, ...(status === "fail" ? { errorLine: "error: implicit declaration of function 'strlcpy'" } : {}) });
const record = (id: string, results: IngestBody["results"]) => recordResults({ run: { source: `answer-test-${tag}`, id }, results });

describe("the kept check answer", () => {
  it("equals a freshly built answer, is served again until results arrive, then follows them", async () => {
    await record("a", [build("1.0", "6.1.5", "pass", "2026-10-01T10:00:00Z"), build("1.0", "6.6.3", "pass", "2026-10-02T10:00:00Z")]);
    const input = { kernel: "6.6.3", modules: [`${slug}@1.0`], arch: "x86_64" };
    const first = await answerCheck(input);
    expect(keptAnswer(checkAnswerKey(input))?.json).toBe(first);
    forgetCheckCache();
    expect(JSON.parse(first)).toEqual(JSON.parse(JSON.stringify(await checkWithUpgrades(input))));
    expect(JSON.parse(first).modules[0].verdict).toBe("works");

    // Kept: the same text again (the route sends it as it is, and it parses as the API schema says).
    const again = await answerCheck(input);
    expect(again).toBe(first);
    const res = await GET(new Request(`http://test.local/api/v1/check?kernel=6.6.3&module=${slug}%401.0&arch=x86_64`), { params: Promise.resolve({}) });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/json");
    expect(checkResponseSchema.parse(await res.json()).modules[0].verdict).toBe("works");

    // A newer failing run moves the data stamp: the next answer is built from it.
    await record("b", [build("1.0", "6.6.3", "fail", "2026-10-03T10:00:00Z")]);
    const after = JSON.parse(await answerCheck(input));
    expect(after.modules[0].verdict).toBe("broken");
    expect(JSON.parse(await answerCheck(input))).toEqual(after);
  });

  it("is kept while other modules receive results, and follows its own module's", async () => {
    const other = `ans-other-${tag}`;
    await record("d", [build("3.0", "6.1.5", "pass", "2026-10-05T10:00:00Z"), build("3.0", "6.6.3", "pass", "2026-10-05T11:00:00Z")]);
    const input = { kernel: "6.6.3", modules: [`${slug}@3.0`] };
    const first = await answerCheck(input);
    const built = checkAnswersBuilt();
    // an ingest into another module, committed in this process: the answer is not built again
    await recordResults({ run: { source: `answer-test-${tag}`, id: "other-1" }, results: [result({ module: other, moduleVersion: "1.0", kernel: "6.6.3", status: "fail", errorLine: "error: x" })] });
    expect(await answerCheck(input)).toBe(first);
    expect(checkAnswersBuilt()).toBe(built);
    // one into this module is
    await record("e", [build("3.0", "6.6.3", "fail", "2026-10-06T10:00:00Z")]);
    expect(JSON.parse(await answerCheck(input)).modules[0].verdict).toBe("broken");
    expect(checkAnswersBuilt()).toBe(built + 1);
  });

  it("follows a change to its module's cells that adds no result (as an ingest that took lower Result ids and committed last)", async () => {
    await record("f", [build("4.0", "6.1.5", "pass", "2026-10-07T10:00:00Z"), build("4.0", "6.6.3", "pass", "2026-10-07T11:00:00Z")]);
    const input = { kernel: "6.6.3", modules: [`${slug}@4.0`] };
    expect(JSON.parse(await answerCheck(input)).modules[0].verdict).toBe("works");
    // The highest Result id stays the same: the stamp before this stop (the highest Result id) kept the old answer.
    const maxBefore = (await db().result.aggregate({ _max: { id: true } }))._max.id;
    await db().$transaction(async (tx) => {
      await tx.$executeRaw`
        UPDATE "Cell" c SET status = 'fail', "errorLine" = ${"error: implicit declaration of function 'strlcpy'"}
        FROM "ModuleVersion" v, "Module" m, "Kernel" k
        WHERE c."moduleVersionId" = v.id AND v."moduleId" = m.id AND m.slug = ${slug} AND v.version = '4.0' AND c."kernelId" = k.id AND k.version = '6.6.3'`;
      await tx.$executeRaw`SELECT pg_notify(${RESULTS_CHANNEL}, '')`;
    });
    expect((await db().result.aggregate({ _max: { id: true } }))._max.id).toBe(maxBefore);
    let verdict = "";
    for (let i = 0; i < 100 && verdict !== "broken"; i++) {
      verdict = JSON.parse(await answerCheck(input)).modules[0].verdict;
      if (verdict !== "broken") await new Promise((r) => setTimeout(r, 50));
    }
    // the cell as its results say again (the suite's reindex check compares every cell with them)
    await db().$executeRaw`
      UPDATE "Cell" c SET status = 'pass', "errorLine" = NULL
      FROM "ModuleVersion" v, "Module" m, "Kernel" k
      WHERE c."moduleVersionId" = v.id AND v."moduleId" = m.id AND m.slug = ${slug} AND v.version = '4.0' AND c."kernelId" = k.id AND k.version = '6.6.3'`;
    expect(verdict).toBe("broken");
  });

  it("does not keep an answer with an unknown verdict of a known version (a prediction may join it)", async () => {
    await record("c", [build("2.0", "6.1.5", "pass", "2026-10-04T10:00:00Z")]);
    const input = { kernel: "7.9.1", modules: [`${slug}@2.0`] };
    const out = JSON.parse(await answerCheck(input));
    expect(out.modules[0]).toMatchObject({ found: true, verdict: "unknown" });
    expect(keptAnswer(checkAnswerKey(input))).toBeUndefined();
  });

  it("an ingest committed by another process (its notification) moves the results generation", async () => {
    const until = async (ok: () => boolean) => {
      for (let i = 0; i < 100 && !ok(); i++) await new Promise((r) => setTimeout(r, 50));
      expect(ok()).toBe(true);
    };
    resultsGeneration();
    await until(() => resultsGeneration() !== null);
    const before = resultsGeneration();
    const other = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await other.connect();
    await other.query("SELECT pg_notify($1, '')", [RESULTS_CHANNEL]);
    await other.end();
    await until(() => resultsGeneration() !== before);
  });
});
