import { pgRead } from "../../db/client";
import type { CheckInput, CheckResponse } from "../../schemas/check";
import { predictionCandidates } from "../predictions/add-predictions";
import { confirmAnswer, keptAnswer, rememberAnswer } from "./check-cache";
import { checkModules, checkRequestSlugs, checkTarget } from "./check-modules";
import { checkUpgrades } from "./check-upgrades";
import { KERNELS_STAMP_SQL } from "../data-stamps";
import { resultsGeneration } from "./results-listener";

let answersBuilt = 0;
/** How many answers answerCheck built rather than found kept, in this process (tests). */
export const checkAnswersBuilt = () => answersBuilt;

/** Requests longer than this (a long `dkms status` text) are answered but not kept. */
const MAX_KEY_CHARS = 2000;

/** The check's answer plus where to get each recommended version (the web check shows the same). */
export async function checkWithUpgrades(input: CheckInput): Promise<CheckResponse> {
  const out = await checkModules(input);
  const { upgrades, recheck } = await checkUpgrades(out);
  return { ...out, upgrades, links: { ...out.links, recheck } };
}

/** What a kept answer is found by: everything the request says. */
export const checkAnswerKey = (input: CheckInput) => JSON.stringify([input.kernel, input.arch ?? null, input.modules ?? [], input.dkmsStatus ?? null]);

/**
 * The request's data stamp: the kernels' stamp, the stamp of every module the request may name
 * (absent ones leave a gap a new module fills), and the target kernel's row (the answer says
 * whether the server knows it). An answer depends on nothing else that changes without moving one
 * of these: predictions, which read kernel API snapshots, are never part of a kept answer.
 */
async function requestStamp(input: CheckInput): Promise<string> {
  const [row] = await pgRead<{ v: string }>(
    `SELECT coalesce(${KERNELS_STAMP_SQL}, '') || '|' || coalesce((SELECT id::text FROM "Kernel" WHERE version = $2::text), '-') || '|' ||
       coalesce((SELECT string_agg(slug || ':' || "dataStamp"::text, ',' ORDER BY slug) FROM "Module" WHERE slug = ANY($1::text[])), '') AS v`,
    [checkRequestSlugs(input), checkTarget(input)],
  );
  return row?.v ?? "";
}

/**
 * The API's answer to a check, serialised. Hooks on many machines send the same few questions, and
 * an answer only changes when the data of what it names does, so the whole answer is kept under
 * its request's stamp (requestStamp, check-cache.ts): a repeated question costs no judging, no
 * Prisma and no JSON writing (issue 14), one small statement at most, and none while nothing has
 * been ingested since the stamp was last confirmed: every ingest notifies on commit, and
 * results-listener.ts counts ingests of this process at once and those of other processes as their
 * notifications arrive (milliseconds later). Without the listener the stamp is read each time. The
 * stamp is read before the answer is built, so a kept answer is never older than the stamp it is
 * kept under. Answers holding a prediction candidate (an unknown verdict: predictions read kernel
 * API snapshots, which arrive without results) are built every time.
 */
export async function answerCheck(input: CheckInput): Promise<string> {
  const key = checkAnswerKey(input);
  const cacheable = key.length <= MAX_KEY_CHARS;
  let stamp: string | null = null;
  let generation: number | null = null;
  if (cacheable) {
    generation = resultsGeneration();
    const kept = keptAnswer(key);
    if (kept && generation !== null && kept.confirmedAt === generation) return kept.json;
    stamp = await requestStamp(input);
    if (kept && kept.stamp === stamp) {
      confirmAnswer(key, generation);
      return kept.json;
    }
  }
  const out = await checkWithUpgrades(input);
  answersBuilt += 1;
  const json = JSON.stringify(out);
  if (stamp !== null && predictionCandidates(out.modules).length === 0) rememberAnswer(stamp, key, json, generation);
  return json;
}
