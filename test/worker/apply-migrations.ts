// Runs before every worker test file (storage is isolated per file): the schema, then the bank,
// seeded by the same statements `npm start` and `npm run deploy` run.
import { applyD1Migrations } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { bankRelations, rawBank } from '../../db/bank';
import { parseBank, seedStatements } from '../../db/seed-sql';

await applyD1Migrations(env.DB, env.TEST_MIGRATIONS);
await env.DB.batch(
  seedStatements(parseBank(rawBank), Date.now(), bankRelations).map((statement) => env.DB.prepare(statement)),
);
