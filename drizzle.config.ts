import { defineConfig } from 'drizzle-kit';

/** drizzle-kit generates SQL migrations into the folder wrangler applies them from. */
export default defineConfig({
  dialect: 'sqlite',
  schema: './db/schema.ts',
  out: './db/migrations',
});
