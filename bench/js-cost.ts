/**
 * The Worker's own JavaScript CPU per request on the student routes, before and after a change,
 * without D1 and without the local runtime around it: the routes run in this Node process (same V8
 * family as workerd) against a stand-in D1 that answers at once with no rows. Each route then
 * runs everything it does before its first D1 answer is used (validation, hashing, query building)
 * and, for the routes that batch, the whole batch's building: the part a code change can move.
 * Production bills exactly this kind of time (CPU, not I/O wait); the local end-to-end figures are
 * dominated by the D1 emulation instead (see docs/performance.md).
 *
 *   npx tsx bench/js-cost.ts --revert worker/routes/play.ts,worker/lib/prepared.ts,… [--base <rev>]   (A: those files as at HEAD or <rev>; B: working tree)
 *                            [--b-revert …]   (B: these files as at HEAD too, to isolate one change of several)
 *
 * Both variants are loaded side by side (copies of worker/ and db/ in a temporary directory) and
 * measured interleaved; the median of the rounds is reported, in µs of process CPU per request.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Hono } from 'hono';
import { ROOT } from '../test/support/process';

const argv = process.argv.slice(2);
const value = (name: string) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv[i + 1] : undefined;
};
const REVERT = (value('revert') ?? '').split(',').filter(Boolean);
/** The commit reverted files are taken from. */
const BASE = value('base') ?? 'HEAD';
/** Files B also takes from HEAD (to measure one change of several: A reverts it and the later ones, B only the later ones). */
const B_REVERT = (value('b-revert') ?? '').split(',').filter(Boolean);
const ROUNDS = Number(value('rounds') ?? 7);
const N = Number(value('n') ?? 1500);

/** A D1 binding that answers every statement at once with no rows. */
function emptyD1(): unknown {
  const meta = {
    rows_read: 0,
    rows_written: 0,
    changes: 0,
    duration: 0,
    last_row_id: 0,
    changed_db: false,
    size_after: 0,
  };
  const result = () => ({ results: [], success: true, meta });
  const statement = (): unknown => ({
    bind: () => statement(),
    first: async () => null,
    all: async () => result(),
    run: async () => result(),
    raw: async () => [],
  });
  return {
    prepare: () => statement(),
    batch: async (s: unknown[]) => s.map(result),
    exec: async () => ({ count: 0, duration: 0 }),
  };
}

/** A copy of worker/ and db/ with `revert` files as at BASE (deleted when absent there). */
function snapshot(dir: string, revert: string[]): string {
  mkdirSync(dir, { recursive: true });
  for (const entry of ['worker', 'db', 'package.json'])
    cpSync(join(ROOT, entry), join(dir, entry), { recursive: true });
  symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'));
  for (const file of revert) {
    try {
      writeFileSync(
        join(dir, file),
        execFileSync('git', ['show', `${BASE}:${file}`], { cwd: ROOT, stdio: ['ignore', 'pipe', 'ignore'] }),
      );
    } catch {
      rmSync(join(dir, file), { force: true });
    }
  }
  return dir;
}

async function appFrom(dir: string) {
  const { playRoute } = await import(pathToFileURL(join(dir, 'worker/routes/play.ts')).href);
  const { codesRoute } = await import(pathToFileURL(join(dir, 'worker/routes/codes.ts')).href);
  const { handleError, handleNotFound } = await import(pathToFileURL(join(dir, 'worker/lib/errors.ts')).href);
  // The routes as worker/index.ts mounts them, with its error handling (no middleware: those cost the same for every route).
  const app = new Hono()
    .get('/api/health', (c) => c.json({ ok: true }))
    .route('/api/play', playRoute)
    .route('/api/codes', codesRoute)
    .notFound(handleNotFound)
    .onError(handleError);
  const env = { DB: emptyD1() };
  return (req: () => Request) => app.fetch(req(), env, { waitUntil() {}, passThroughOnException() {}, props: {} });
}

const token = 'T'.repeat(43);
const json = (path: string, body: unknown) => () =>
  new Request(`http://x${path}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}`, Origin: 'http://x' },
    body: JSON.stringify(body),
  });
const get = (path: string) => () => new Request(`http://x${path}`, { headers: { Authorization: `Bearer ${token}` } });

const requests: Record<string, () => Request> = {
  'health (trivial)': get('/api/health'),
  'answer (POST /api/play/answers)': json('/api/play/answers', { questionId: 'intro-01', response: { optionId: 'a' } }),
  'next question (GET /api/play)': get('/api/play'),
  'leaderboard (GET /api/play/leaderboard)': get('/api/play/leaderboard'),
  'code lookup (GET /api/codes/:code)': get('/api/codes/ABCDEF'),
  'join (POST /api/codes/:code/participants)': json('/api/codes/ABCDEF/participants', { nickname: 'Amy' }),
};

async function cost(fetch: Awaited<ReturnType<typeof appFrom>>, req: () => Request, n: number): Promise<number> {
  const start = process.cpuUsage();
  for (let i = 0; i < n; i++) await (await fetch(req)).arrayBuffer();
  const used = process.cpuUsage(start);
  return (used.user + used.system) / n;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'pomegranate-js-cost-'));
  try {
    const a = await appFrom(snapshot(join(dir, 'a'), REVERT));
    const b = await appFrom(snapshot(join(dir, 'b'), B_REVERT));
    console.log(
      `js-cost: A = working tree with ${REVERT.join(', ') || 'nothing'} as at ${BASE}, B = working tree${B_REVERT.length ? ` with ${B_REVERT.join(', ')} as at ${BASE}` : ''}; ${cpus().length} cores, load ${loadavg()
        .map((x) => x.toFixed(2))
        .join(' ')}`,
    );
    const out: Record<string, { a: number; b: number; ratio: number }> = {};
    for (const [name, req] of Object.entries(requests)) {
      await cost(a, req, 300);
      await cost(b, req, 300); // warm-up: JIT, and the prepared queries built once
      const ra: number[] = [];
      const rb: number[] = [];
      for (let r = 0; r < ROUNDS; r++) {
        if (r % 2 === 0) {
          ra.push(await cost(a, req, N));
          rb.push(await cost(b, req, N));
        } else {
          rb.push(await cost(b, req, N));
          ra.push(await cost(a, req, N));
        }
      }
      const [ma, mb] = [median(ra), median(rb)];
      out[name] = { a: Math.round(ma), b: Math.round(mb), ratio: Math.round((mb / ma) * 100) / 100 };
      console.log(
        `${name.padEnd(44)} A ${String(Math.round(ma)).padStart(5)} µs   B ${String(Math.round(mb)).padStart(5)} µs   B/A ×${out[name].ratio}`,
      );
    }
    const name = value('name');
    if (name)
      writeFileSync(
        join(ROOT, `bench/results/js-cost-${name}.json`),
        `${JSON.stringify({ date: new Date().toISOString(), base: BASE, revert: REVERT, bRevert: B_REVERT, rounds: ROUNDS, n: N, machine: { cpus: cpus().length, loadavg: loadavg() }, results: out }, null, 2)}\n`,
      );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
