/** `npm run --silent bank:export`: the whole bank, answers included, as one JSON array on stdout. */
import { rawBank } from './bank';
import { parseBank } from './seed-sql';

process.stdout.write(`${JSON.stringify(parseBank(rawBank), null, 2)}\n`);
