/**
 * The contract (worker/contract/) is what the browser may import values from: it must stay free
 * of zod, of Cloudflare's globals and of the rest of the Worker, or a page would ship server code.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const DIR = 'worker/contract';
const sources = readdirSync(DIR)
  .filter((f) => f.endsWith('.ts'))
  .map((f) => ({ file: f, text: readFileSync(join(DIR, f), 'utf8') }));

describe('the contract', () => {
  it('imports only its own modules', () => {
    for (const { file, text } of sources)
      for (const [, spec] of text.matchAll(/\bfrom '([^']+)'/g))
        expect(spec, `${file} imports ${spec}`).toMatch(/^\.\/[\w-]+$/);
  });

  it('uses no Cloudflare global', () => {
    const globals =
      /\b(D1Database|DurableObject\w*|KVNamespace|R2Bucket|Fetcher|RateLimit|ExecutionContext|Cloudflare)\b/;
    for (const { file, text } of sources)
      expect(globals.test(text.replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, '')), file).toBe(false);
  });
});
