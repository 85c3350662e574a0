/**
 * `npm run seed` (and part of `npm start`): upserts the question bank into D1 through wrangler.
 * Usage: tsx db/seed.ts [--remote] [--persist-to DIR]. Local by default; idempotent.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { bankRelations, rawBank } from './bank';
import { parseBank, seedStatements } from './seed-sql';

const args = process.argv.slice(2);
const remote = args.includes('--remote');
const persist = args.indexOf('--persist-to');
const bank = parseBank(rawBank);
mkdirSync('.wrangler', { recursive: true });
const file = '.wrangler/seed.sql';
writeFileSync(file, seedStatements(bank, Date.now(), bankRelations).join('\n'));
execFileSync(
  'npx',
  [
    'wrangler',
    'd1',
    'execute',
    'DB',
    remote ? '--remote' : '--local',
    '--file',
    file,
    ...(persist >= 0 ? ['--persist-to', args[persist + 1]!] : []),
  ],
  {
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, WRANGLER_SEND_METRICS: 'false', CLOUDFLARE_CF_FETCH_ENABLED: 'false' },
  },
);
console.log(`seeded ${bank.length} questions into the ${remote ? 'remote' : 'local'} D1 database`);
