import { inject } from "vitest";

// Services use the process-wide client from lib/db/client.ts, created on first use from this URL.
process.env.DATABASE_URL = inject("databaseUrl");
