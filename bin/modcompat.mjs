#!/usr/bin/env node
// Entry point of `npx modcompat`: runs the TypeScript CLI through tsx so no build step is needed.
import { register } from "tsx/esm/api";

register();
const { main } = await import("../lib/cli/main.ts");
process.exitCode = await main(process.argv);
