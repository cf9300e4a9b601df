import { defineConfig } from 'drizzle-kit';

// Migrations are generated (`npm run db:generate`) and committed; they are applied at start-up by
// db/migrate.ts, never with `drizzle-kit push`.
export default defineConfig({
  dialect: 'postgresql',
  schema: './db/schema/index.ts',
  out: './db/migrations',
  casing: 'snake_case',
});
