/**
 * Validation against the KCIDB v5.3 JSON schema (lib/kcidb/kcidb-v05_03.schema.json, transcribed
 * from kernelci/kcidb-io; see its $comment), with ajv and its formats.
 */
import { Ajv, type ErrorObject } from "ajv";
import addFormatsModule from "ajv-formats";
import schema from "./kcidb-v05_03.schema.json";
import type { IssueItem } from "../services/errors";
import type { KcidbDocument } from "./types";

const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;
let compiled: ReturnType<Ajv["compile"]> | undefined;

function validator() {
  if (!compiled) {
    const ajv = new Ajv({ allErrors: true, strict: false });
    addFormats(ajv);
    compiled = ajv.compile(schema);
  }
  return compiled;
}

/** "/builds/3/status" → "builds[3].status", the path style of our other API errors. */
function issuePath(e: ErrorObject): string {
  const segments = e.instancePath.split("/").slice(1);
  const p = segments.reduce((acc, s) => (/^\d+$/.test(s) ? `${acc}[${s}]` : acc ? `${acc}.${s}` : s), "");
  const extra = e.keyword === "additionalProperties" ? (e.params as { additionalProperty: string }).additionalProperty : "";
  return [p, extra].filter(Boolean).join(".") || "(body)";
}

/** The schema violations of `doc` (at most 100), or an empty list when it is a valid KCIDB v5 document. */
export function kcidbIssues(doc: unknown): IssueItem[] {
  const validate = validator();
  if (validate(doc)) return [];
  return (validate.errors ?? []).slice(0, 100).map((e) => ({ path: issuePath(e), message: e.message ?? e.keyword }));
}

export function isKcidbDocument(doc: unknown): doc is KcidbDocument {
  return kcidbIssues(doc).length === 0;
}
