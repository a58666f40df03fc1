/**
 * One worker process of `npm start` (scripts/launch.ts forks one per core): Next's production
 * server behind the busy-server microcache (lib/http/serve.ts). The launcher passes PORT,
 * MODCOMPAT_HOST and DATABASE_URL.
 */
import path from "node:path";
import { startServer } from "../lib/http/serve";

await startServer({
  dir: path.resolve(import.meta.dirname, ".."),
  hostname: process.env.MODCOMPAT_HOST ?? "0.0.0.0",
  port: Number(process.env.PORT ?? 3000),
});
