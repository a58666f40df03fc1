import { defineConfig } from "prisma/config";
import { PrismaPg } from "@prisma/adapter-pg";

// Prisma 6 CLI falls back to downloading a native engine when DATABASE_URL does not resolve,
// which fails offline; give it the embedded dev server's address by default.
process.env.DATABASE_URL ??= "postgresql://postgres:postgres@127.0.0.1:54329/modcompat";

export default defineConfig({
  experimental: { adapter: true },
  engine: "js",
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
  // pg's default 10 s idle timeout keeps every CLI command alive after it is done.
  adapter: async () => new PrismaPg({ connectionString: process.env.DATABASE_URL, idleTimeoutMillis: 200 }),
});
