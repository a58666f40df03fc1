/**
 * One server process of `npm start`: Next's production handler on the Unix socket the launcher
 * names (scripts/launch.ts runs the front on the public port and hands requests on to it). The
 * launcher passes MODCOMPAT_SOCKET, MODCOMPAT_ROLE (reader or writer) and DATABASE_URL.
 */
import path from "node:path";
import { startServer } from "../lib/http/serve";

const socketPath = process.env.MODCOMPAT_SOCKET;
if (!socketPath) {
  console.error("serve-worker: MODCOMPAT_SOCKET is not set (scripts/launch.ts start runs this file)");
  process.exit(3);
}
await startServer({ dir: path.resolve(import.meta.dirname, ".."), socketPath });
