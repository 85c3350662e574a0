/**
 * Starts the product the way `npm start` does (migrations, seed, `wrangler dev`), on its own port
 * and its own local state, for the browser tests; stops it afterwards. Fails with one clear line
 * when Chromium is missing.
 */
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const PORT = Number(process.env.BROWSER_TEST_PORT ?? 8788);
const quiet = { ...process.env, WRANGLER_SEND_METRICS: 'false', CLOUDFLARE_CF_FETCH_ENABLED: 'false' };

let server: ChildProcess | undefined;
let state: string | undefined;

export default async function setup(project: TestProject) {
  if (!existsSync(CHROMIUM)) throw new Error(`Chromium is missing at ${CHROMIUM}: install it with \`apt-get install -y chromium\` (or set CHROMIUM_PATH).`);
  if (!existsSync('dist/web/index.html')) throw new Error('dist/web is missing: run `npm run build` first (npm test does).');
  state = mkdtempSync(join(tmpdir(), 'pomegranate-browser-'));
  execFileSync('npx', ['wrangler', 'd1', 'migrations', 'apply', 'DB', '--local', '--persist-to', state], { stdio: 'ignore', env: quiet });
  execFileSync('npx', ['tsx', 'db/seed.ts', '--persist-to', state], { stdio: 'ignore', env: quiet });
  server = spawn(
    'npx',
    ['wrangler', 'dev', '--ip', '127.0.0.1', '--port', String(PORT), '--persist-to', state, '--log-level', 'warn', '--show-interactive-dev-session=false'],
    { stdio: ['ignore', 'ignore', 'inherit'], env: quiet, detached: true },
  );
  const base = `http://127.0.0.1:${PORT}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      if ((await fetch(`${base}/api/health`)).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`wrangler dev did not answer on ${base} within 60 s`);
    await new Promise((r) => setTimeout(r, 250));
  }
  project.provide('baseUrl', base);
  project.provide('chromium', CHROMIUM);
  return teardown;
}

async function teardown() {
  // wrangler dev runs workerd as a child: end the whole process group, firmly if it lingers.
  const pid = server?.pid;
  if (pid) {
    const signal = (s: NodeJS.Signals) => {
      try {
        process.kill(-pid, s);
      } catch {
        // already gone
      }
    };
    signal('SIGTERM');
    // wrangler re-executes itself in a child that leaves the group; it is the one with our state path.
    spawnSync('pkill', ['-TERM', '-f', `--persist-to ${state}`]);
    await new Promise((r) => setTimeout(r, 1500));
    signal('SIGKILL');
    spawnSync('pkill', ['-KILL', '-f', `--persist-to ${state}`]);
  }
  if (state) rmSync(state, { recursive: true, force: true });
}

declare module 'vitest' {
  export interface ProvidedContext {
    baseUrl: string;
    chromium: string;
  }
}
