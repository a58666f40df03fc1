#!/usr/bin/env node
/**
 * Regenerates contrib/ci/schemas/*.json, the published JSON Schemas the CI recipes are validated
 * against (tests/unit/ci-recipes.test.ts). Neither schema is on npm as a plain file, but each is
 * shipped inside an npm package, unchanged, and this script takes it from there:
 *
 * - github-workflow.json: SchemaStore's https://json.schemastore.org/github-workflow.json, embedded
 *   as JSON text in @action-validator/core (the wasm build of action-validator).
 * - gitlab-ci.json: GitLab's app/assets/javascripts/editor/schema/ci.json
 *   ($id https://gitlab.com/.gitlab-ci.yml), bundled as an object literal in gitlab-ci-local's
 *   dist/index.js (its src/schema.ts patches a copy at run time; the literal itself is untouched).
 *
 * Usage: npm pack @action-validator/core@0.6.0 gitlab-ci-local@4.75.1 (in a scratch dir), then
 *   node scripts/vendor-ci-schemas.mjs <action-validator-core-0.6.0.tgz> <gitlab-ci-local-4.75.1.tgz>
 */
import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import path from "node:path";
import vm from "node:vm";

const [avTgz, glTgz] = process.argv.slice(2);
if (!avTgz || !glTgz) {
  console.error("usage: vendor-ci-schemas.mjs <action-validator-core.tgz> <gitlab-ci-local.tgz>");
  process.exit(2);
}
const out = path.resolve(import.meta.dirname, "../contrib/ci/schemas");
const member = (tgz, file) => execFileSync("tar", ["xzf", tgz, "-O", file], { maxBuffer: 1 << 28 });

/** The balanced {...} that encloses `index` (strings respected, both quote kinds). */
function enclosingObject(text, index) {
  for (let start = text.lastIndexOf("{", index); start >= 0; start = text.lastIndexOf("{", start - 1)) {
    let depth = 0;
    let quote = null;
    for (let i = start; i < text.length; i++) {
      const c = text[i];
      if (quote) {
        if (c === "\\") i++;
        else if (c === quote) quote = null;
      } else if (c === '"' || c === "'") quote = c;
      else if (c === "{") depth++;
      else if (c === "}" && --depth === 0) {
        if (i > index) return text.slice(start, i + 1);
        break;
      }
    }
  }
  throw new Error("no enclosing object");
}

const wasm = member(avTgz, "package/action_validator_bg.wasm").toString("latin1");
const gh = enclosingObject(wasm, wasm.indexOf('"$id": "https://json.schemastore.org/github-workflow.json"'));
const ghSchema = JSON.parse(Buffer.from(gh, "latin1").toString("utf8"));
writeFileSync(path.join(out, "github-workflow.json"), JSON.stringify(ghSchema, null, 1) + "\n");

const bundle = member(glTgz, "package/dist/index.js").toString("utf8");
const gl = enclosingObject(bundle, bundle.indexOf('$id:"https://gitlab.com/.gitlab-ci.yml"'));
const glSchema = vm.runInNewContext(`(${gl})`, {});
writeFileSync(path.join(out, "gitlab-ci.json"), JSON.stringify(glSchema, null, 1) + "\n");
console.log(`wrote ${out}/github-workflow.json (${Object.keys(ghSchema.definitions ?? {}).length} definitions), gitlab-ci.json (${Object.keys(glSchema.definitions ?? {}).length} definitions)`);
