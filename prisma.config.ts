import { defineConfig } from "prisma/config";

// Used by `prisma generate` only. Migrations are applied by scripts/migrate.ts,
// because the Prisma CLI's schema engine cannot be downloaded on every machine.
export default defineConfig({
  schema: "prisma/schema.prisma",
  datasource: { url: process.env.DATABASE_URL ?? "postgresql://localhost:5432/unused" },
});
