/**
 * What the bench scripts need of the machine: the repository root, the offline environment of every
 * wrangler command, free ports, the process tree of a server (from /proc, to signal it by pid, never
 * by name), and the command line and config of a `wrangler dev` that serves the deploy bundle.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sleep } from './util';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const OFFLINE_ENV = { ...process.env, WRANGLER_SEND_METRICS: 'false', CLOUDFLARE_CF_FETCH_ENABLED: 'false', CI: '1' };

/** A free TCP port on 127.0.0.1 (asked from the OS). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

// Processes --------------------------------------------------------------------------------------

interface Proc {
  pid: number;
  ppid: number;
  state: string;
  cmdline: string;
}

/** Every process of the machine, from /proc. */
function processes(): Proc[] {
  const out: Proc[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      // pid (comm) state ppid …; comm may contain spaces and parentheses.
      const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const cmdline = readFileSync(`/proc/${name}/cmdline`, 'utf8').replace(/\0/g, ' ');
      out.push({ pid: Number(name), ppid: Number(rest[1]), state: rest[0]!, cmdline });
    } catch {
      // Gone meanwhile.
    }
  }
  return out;
}

/** Live (non-zombie) pids among `roots`, their descendants, and processes whose command line contains `marker`. */
export function processTree(roots: number[], marker?: string): number[] {
  const all = processes().filter((p) => p.state !== 'Z');
  const found = new Set<number>(roots.filter((pid) => all.some((p) => p.pid === pid)));
  if (marker) for (const p of all) if (p.cmdline.includes(marker)) found.add(p.pid);
  for (let grew = true; grew; ) {
    grew = false;
    for (const p of all)
      if (!found.has(p.pid) && found.has(p.ppid)) {
        found.add(p.pid);
        grew = true;
      }
  }
  found.delete(process.pid);
  return [...found];
}

/** Signals each pid of the tree; with SIGTERM, escalates to SIGKILL after `graceMs`. Waits until all are gone. */
export async function killTree(roots: number[], marker: string | undefined, signal: 'SIGTERM' | 'SIGKILL', graceMs = 4000): Promise<number[]> {
  const first = processTree(roots, marker);
  const send = (pids: number[], sig: NodeJS.Signals) => {
    for (const pid of pids)
      try {
        process.kill(pid, sig);
      } catch {
        // Already gone.
      }
  };
  send(first, signal);
  const started = Date.now();
  let escalated = signal === 'SIGKILL';
  for (;;) {
    const left = processTree(first, marker);
    if (left.length === 0) return first;
    if (!escalated && Date.now() - started > graceMs) {
      send(left, 'SIGKILL');
      escalated = true;
    }
    if (Date.now() - started > graceMs + 10_000) throw new Error(`processes ${left.join(', ')} survived ${signal} and SIGKILL`);
    // Processes spawned during the kill (a wrangler restarting its runtime) are caught here too.
    if (escalated) send(left, 'SIGKILL');
    await sleep(50);
  }
}

/** Ids of every descendant of `pid`, zombies included (children found through /proc), for a stop by id. */
export function descendants(pid: number): number[] {
  const children = new Map<number, number[]>();
  for (const p of processes()) children.set(p.ppid, [...(children.get(p.ppid) ?? []), p.pid]);
  const out: number[] = [];
  const walk = (p: number) => {
    for (const c of children.get(p) ?? []) {
      out.push(c);
      walk(c);
    }
  };
  walk(pid);
  return out;
}

// wrangler dev -----------------------------------------------------------------------------------

/**
 * The repository's wrangler.toml as it is in `src` (the working tree, or a commit's copy), pointed
 * at a bundle of `wrangler deploy --dry-run` in `bundleDir` (no rebuild, no watching of the
 * sources), at `assetsDir` for the static assets and at `src`'s migrations.
 */
export function devConfig(src: string, bundleDir: string, assetsDir: string): string {
  return readFileSync(join(src, 'wrangler.toml'), 'utf8')
    .replace(/^main = .*$/m, () => `main = ${JSON.stringify(join(bundleDir, 'index.js'))}\nno_bundle = true`)
    .replace(/^directory = "(.*)"$/m, () => `directory = ${JSON.stringify(assetsDir)}`)
    .replace(/^migrations_dir = "(.*)"$/m, (_all, path: string) => `migrations_dir = ${JSON.stringify(join(src, path))}`);
}

/** `npx` arguments of a `wrangler dev` on 127.0.0.1:`port` with the config `configPath` and its state in `persist`. */
export function devArgs(configPath: string, port: number, persist: string): string[] {
  return [
    'wrangler', 'dev', '--config', configPath, '--ip', '127.0.0.1', '--port', String(port), '--persist-to', persist,
    '--log-level', 'warn', '--show-interactive-dev-session=false',
  ];
}
