/**
 * @cloudflare/vitest-pool-workers 0.15.1 (the last release that runs on Node 20, see STACK.md)
 * wraps a Durable Object class's prototype in one more Proxy each time an object of the class is
 * constructed (cloudflare/workers-sdk#15092), so every property read walks one trap per object made
 * so far: a long run such as the fuzz gets slower and slower, then throws RangeError. The upstream
 * fix (cloudflare/workers-sdk#15106: install the proxy once per class) ships only in releases that
 * need Node 22, so it is applied here to the installed file before the pool starts. A file without
 * the faulty lines (already fixed, or a later release) is left as it is.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const FILE = fileURLToPath(
  new URL(
    '../../node_modules/@cloudflare/vitest-pool-workers/dist/worker/lib/cloudflare/test-internal.mjs',
    import.meta.url,
  ),
);
const FAULTY = '\tfunction Class(...args) {\n\t\tClass.prototype = new Proxy(Class.prototype, {';
const FIXED =
  '\tlet proxied = false;\n\tfunction Class(...args) {\n\t\tif (!proxied) proxied = true, Class.prototype = new Proxy(Class.prototype, {';

/** Applies the fix; true when the file was changed now. */
export function fixPoolPrototypeProxy(): boolean {
  if (!existsSync(FILE)) return false;
  const source = readFileSync(FILE, 'utf8');
  if (!source.includes(FAULTY)) return false;
  writeFileSync(FILE, source.replace(FAULTY, FIXED));
  return true;
}
