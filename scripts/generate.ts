/**
 * `npm run --silent generate -- FILE`: prints the draft questions generated from a text (Markdown
 * or plain, Chinese or English) as a JSON array. `-` reads standard input. Same text, same output.
 */
import { readFileSync } from 'node:fs';
import { MAX_GENERATE_CHARS } from '../worker/contract';
import { generateDrafts } from '../worker/generator/generate';

// `… | head` closes the pipe early; that is not an error.
process.stdout.on('error', (e: NodeJS.ErrnoException) => process.exit(e.code === 'EPIPE' ? 0 : 1));
const file = process.argv[2];
if (!file) {
  console.error('usage: npm run --silent generate -- FILE   (FILE may be - for standard input)');
  process.exit(2);
}
const text = readFileSync(file === '-' ? 0 : file, 'utf8');
if (text.length > MAX_GENERATE_CHARS)
  console.error(`note: only the first ${MAX_GENERATE_CHARS} of ${text.length} characters are read`);
console.log(JSON.stringify(generateDrafts(text), null, 2));
