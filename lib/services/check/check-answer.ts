import { pgRead } from "../../db/client";
import type { CheckInput, CheckResponse } from "../../schemas/check";
import { predictionCandidates } from "../predictions/add-predictions";
import { confirmStamp, keptAnswer, rememberAnswer, stampAtGeneration } from "./check-cache";
import { checkModules } from "./check-modules";
import { checkUpgrades } from "./check-upgrades";
import { DATA_STAMP_SQL } from "./load-check-facts";
import { resultsGeneration } from "./results-listener";

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
 * The API's answer to a check, serialised. Hooks on many machines send the same few questions, and
 * an answer only changes when results arrive, so the whole answer is kept per data stamp
 * (check-cache.ts): a repeated question costs no judging, no Prisma and no JSON writing (issue 14),
 * and no query either while nothing has been ingested since the stamp was last read: every ingest
 * notifies on commit, and results-listener.ts counts ingests of this process at once and those of
 * other processes as their notifications arrive (milliseconds later). Without the listener the
 * stamp is read each time. The stamp is read before the answer is built, so a kept answer is never
 * older than the stamp it is kept under. Answers holding a prediction candidate
 * (an unknown verdict: predictions read kernel API snapshots, which arrive without results) are
 * built every time.
 */
export async function answerCheck(input: CheckInput): Promise<string> {
  const key = checkAnswerKey(input);
  const cacheable = key.length <= MAX_KEY_CHARS;
  let stamp: string | null = null;
  if (cacheable) {
    const generation = resultsGeneration();
    const known = stampAtGeneration(generation);
    if (known !== undefined) stamp = known;
    else {
      const [row] = await pgRead<{ v: string }>(DATA_STAMP_SQL, []);
      stamp = row?.v ?? null;
      confirmStamp(stamp, generation);
    }
    const kept = keptAnswer(key);
    if (kept !== undefined) return kept;
  }
  const out = await checkWithUpgrades(input);
  const json = JSON.stringify(out);
  if (cacheable && predictionCandidates(out.modules).length === 0) rememberAnswer(stamp, key, json);
  return json;
}
