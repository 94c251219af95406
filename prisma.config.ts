import { defineConfig } from "prisma/config";

// Only `prisma generate` runs here (the native engine cannot be downloaded); migrations go through lib/db/migrate.ts.
export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
});
