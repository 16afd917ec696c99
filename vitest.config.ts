import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

const alias = { "@": fileURLToPath(new URL("./", import.meta.url)) };

// Tests that share the database, the job queue and one sandbox AWS.
const INTEGRATION = ["lib/workflow/**/*.test.ts", "lib/db/**/*.test.ts", "lib/audit/**/*.test.ts", "lib/actions/**/*.test.ts"];

export default defineConfig({
  resolve: { alias },
  test: {
    testTimeout: 30_000,
    hookTimeout: 120_000,
    projects: [
      {
        resolve: { alias },
        test: {
          name: "unit",
          // next-auth imports "next/server" without a file extension, which Node's ESM
          // loader rejects; inlined, it is resolved by Vite like the app's own code.
          server: { deps: { inline: ["next-auth"] } },
          include: ["**/*.test.ts"],
          exclude: ["node_modules/**", "e2e/**", ".next/**", ".data/**", ...INTEGRATION],
        },
      },
      {
        resolve: { alias },
        test: {
          name: "integration",
          include: INTEGRATION,
          globalSetup: ["test/global-setup.ts"],
          setupFiles: ["test/integration-setup.ts"],
          fileParallelism: false,
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
