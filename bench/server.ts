/**
 * The product, started for a benchmark and stopped after it: `wrangler dev` (workerd + Miniflare's
 * local D1, the LiveRoom Durable Object, the rate-limit bindings and the static-assets router with
 * `_headers`), exactly the runtime `npm start` and the browser tests use, so the figures are those
 * of the real request path, assets included (Lighthouse needs them).
 *
 * It serves, from a temporary directory of its own:
 * - the web app built by Vite into that directory (see {@link WebSource} for the fallbacks when
 *   web/ is mid-edit and does not build),
 * - the Worker as bundled by `wrangler deploy --dry-run` (what would be deployed; `wrangler dev`
 *   then does not watch the sources, so edits by others during a run cannot reload it),
 * - a fresh local D1 (migrations + seed, `--persist-to`).
 *
 * Stopping: the server runs in a process group of its own; `stop()` signals that group and every
 * descendant process recorded by id (never by name), then deletes the directory.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { descendants, devArgs, devConfig, OFFLINE_ENV, ROOT } from '../test/support/process';
import { sleep } from '../test/support/util';

/**
 * The environment of a `wrangler dev` that nothing else on the machine can restart: wrangler
 * reloads the Worker (failing in-flight POSTs with 503 "Your worker restarted mid-request")
 * whenever its dev registry changes, and that registry is shared by every `wrangler dev` of the
 * user, so another engineer's test server starting or stopping would do it. A registry of its own,
 * and no config watching.
 */
export const isolatedEnv = (dir: string) => ({ ...OFFLINE_ENV, WRANGLER_REGISTRY_PATH: join(dir, 'registry'), WRANGLER_CI_DISABLE_CONFIG_WATCHING: 'true' });

export interface Server {
  base: string;
  /** Directory of the built web app being served. */
  webDir: string;
  /** Which web app is served: see {@link buildWeb}. */
  web: WebSource;
  /** The Worker bundle (`wrangler deploy --dry-run`). */
  bundleFile: string;
  /** CPU time (ms, user + system) the server's workerd processes have used so far: the Worker, D1 and the Durable Objects all run in them. */
  cpuMs(): number;
  stop(): Promise<void>;
}

/** Runs a setup command; by default a second and third try cover a lock held by a concurrent wrangler. */
async function run(args: string[], what: string, { cwd = ROOT, tries = 3 } = {}): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      execFileSync('npx', args, { cwd, env: OFFLINE_ENV, stdio: ['ignore', 'ignore', 'pipe'], timeout: 180_000 });
      return;
    } catch (err) {
      if (attempt >= tries) throw new Error(`${what} failed: ${(err as { stderr?: Buffer }).stderr?.toString().slice(-2000) ?? String(err)}`);
      await sleep(2000);
    }
  }
}

const comm = (pid: number) => {
  try {
    return readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
  } catch {
    return '';
  }
};

/** CPU time used by `pids` (utime + stime from /proc, in ms). */
export function cpuMs(pids: number[]): number {
  const hz = 100; // USER_HZ on Linux
  let ticks = 0;
  for (const p of pids) {
    try {
      const stat = readFileSync(`/proc/${p}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      ticks += Number(fields[11]) + Number(fields[12]);
    } catch {
      // Ended.
    }
  }
  return (ticks * 1000) / hz;
}

/** Stops a process started detached (its own group), its group and all its descendants, by id. */
export async function stopTree(child: ChildProcess, graceMs = 5000): Promise<void> {
  const pid = child.pid;
  if (!pid) return;
  const tree = [pid, ...descendants(pid)];
  const signal = (s: NodeJS.Signals) => {
    try {
      process.kill(-pid, s);
    } catch {
      // The group is gone.
    }
    for (const p of tree) {
      try {
        process.kill(p, s);
      } catch {
        // Already gone.
      }
    }
  };
  const alive = () =>
    tree.filter((p) => {
      try {
        return !/^\d+ \(.*\) Z /s.test(readFileSync(`/proc/${p}/stat`, 'utf8'));
      } catch {
        return false; // gone
      }
    });
  const waitFor = async (ms: number) => {
    const deadline = Date.now() + ms;
    while (alive().length > 0 && Date.now() < deadline) await sleep(100);
  };
  signal('SIGTERM');
  await waitFor(graceMs);
  if (alive().length > 0) {
    signal('SIGKILL');
    await waitFor(3000);
  }
  const left = alive();
  if (left.length > 0) console.warn(`bench: processes ${left.join(', ')} did not stop`);
}

/**
 * `working-tree`: the web app as it is in web/ now. `HEAD`: the working tree does not build (someone
 * is mid-edit), so the last committed web app is built from `git archive HEAD` (read-only), with
 * the working tree's web/public files (`_headers`) copied over it. `dist/web`: neither built, the
 * existing build is served. `none`: no web app (an empty directory; Lighthouse and bytes skipped).
 */
export type WebSource = 'working-tree' | 'HEAD' | 'dist/web' | 'none';

/** Builds the web app into `<dir>/web`, falling back as {@link WebSource} says. */
async function buildWeb(dir: string): Promise<{ dir: string; source: WebSource }> {
  const out = join(dir, 'web');
  const build = (cwd: string) => run(['vite', 'build', '--logLevel', 'error', '--outDir', out, '--emptyOutDir'], 'vite build', { cwd, tries: 1 });
  try {
    await build(ROOT);
    return { dir: out, source: 'working-tree' };
  } catch (err) {
    console.warn(`bench: web/ does not build as it stands (${firstLine(err)}); building the last commit's web app instead`);
  }
  try {
    const snapshot = join(dir, 'head');
    mkdirSync(snapshot);
    execFileSync('sh', ['-c', `git archive HEAD | tar -x -C ${JSON.stringify(snapshot)}`], { cwd: ROOT, stdio: 'ignore' });
    symlinkSync(join(ROOT, 'node_modules'), join(snapshot, 'node_modules'));
    await build(snapshot);
    cpSync(join(ROOT, 'web/public'), out, { recursive: true });
    rmSync(snapshot, { recursive: true, force: true });
    return { dir: out, source: 'HEAD' };
  } catch (err) {
    console.warn(`bench: the last commit's web app does not build either (${firstLine(err)})`);
  }
  if (existsSync(join(ROOT, 'dist/web/index.html'))) {
    cpSync(join(ROOT, 'dist/web'), out, { recursive: true });
    return { dir: out, source: 'dist/web' };
  }
  mkdirSync(out, { recursive: true });
  return { dir: out, source: 'none' };
}

const firstLine = (err: unknown) => String(err instanceof Error ? err.message : err).split('\n')[0];

/** Builds, bundles, migrates, seeds and starts the product on `port`; resolves once it answers. */
export interface ServerOptions {
  /** Serve the Worker (and D1 schema, seed) of this commit instead of the working tree. */
  rev?: string;
  /** With `rev`: files copied from the working tree over the commit's (one change at a time, for before/after). */
  overlay?: string[];
  /** Without `rev`: the working tree, but these files as they are at `base` (deleted when not there): "everything but my change". */
  revert?: string[];
  /** The commit `revert` takes files from; HEAD by default. */
  base?: string;
  inspectorPort?: number;
}

export async function startServer(port: number, label = 'bench', options: ServerOptions = {}): Promise<Server> {
  const dir = mkdtempSync(join(tmpdir(), `pomegranate-${label}-`));
  let child: ChildProcess | null = null;
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    if (child) await stopTree(child);
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const web = await buildWeb(dir);
    const webDir = web.dir;
    // The Worker and its database: the working tree's, or a commit's (`--worker <rev>`, to compare
    // before and after a change without touching the working tree: `git archive` only reads).
    let src = ROOT;
    if (!options.rev && options.revert?.length) {
      src = join(dir, 'worker-src');
      mkdirSync(src);
      for (const entry of ['worker', 'db', 'wrangler.toml', 'package.json']) cpSync(join(ROOT, entry), join(src, entry), { recursive: true });
      symlinkSync(join(ROOT, 'node_modules'), join(src, 'node_modules'));
      mkdirSync(join(src, 'dist/web'), { recursive: true });
      for (const file of options.revert) {
        try {
          writeFileSync(join(src, file), execFileSync('git', ['show', `${options.base ?? 'HEAD'}:${file}`], { cwd: ROOT, stdio: ['ignore', 'pipe', 'ignore'] }));
        } catch {
          rmSync(join(src, file), { force: true }); // not in the base commit: a new file of the change
        }
      }
    } else if (options.rev) {
      src = join(dir, 'worker-src');
      mkdirSync(src);
      execFileSync('sh', ['-c', `git archive ${JSON.stringify(options.rev)} | tar -x -C ${JSON.stringify(src)}`], { cwd: ROOT, stdio: 'ignore' });
      symlinkSync(join(ROOT, 'node_modules'), join(src, 'node_modules'));
      mkdirSync(join(src, 'dist/web'), { recursive: true }); // wrangler checks that the assets directory exists
      for (const file of options.overlay ?? []) cpSync(join(ROOT, file), join(src, file), { recursive: true });
    }
    const bundleDir = join(dir, 'bundle');
    await run(['wrangler', 'deploy', '--dry-run', '--outdir', bundleDir], 'wrangler deploy --dry-run', { cwd: src });
    const state = join(dir, 'state');
    await run(['wrangler', 'd1', 'migrations', 'apply', 'DB', '--local', '--persist-to', state], 'D1 migrations', { cwd: src });
    await run(['tsx', 'db/seed.ts', '--persist-to', state], 'seed', { cwd: src });

    // wrangler.toml, pointed at the bundle (no rebuild, no watching) and at our web build.
    const configPath = join(dir, 'wrangler.toml');
    writeFileSync(configPath, devConfig(src, bundleDir, webDir));

    child = spawn(
      'npx',
      [...devArgs(configPath, port, state), ...(options.inspectorPort ? ['--inspector-port', String(options.inspectorPort)] : [])],
      { cwd: src, env: isolatedEnv(dir), detached: true, stdio: ['ignore', process.env.BENCH_SERVER_LOG ? 'inherit' : 'ignore', 'inherit'] },
    );
    const base = `http://127.0.0.1:${port}`;
    const deadline = Date.now() + 60_000;
    for (;;) {
      if (child.exitCode !== null) throw new Error(`wrangler dev exited with ${child.exitCode}`);
      try {
        if ((await fetch(`${base}/api/health`)).ok) break;
      } catch {
        // Not listening yet.
      }
      if (Date.now() > deadline) throw new Error(`wrangler dev did not answer on ${base} within 60 s`);
      await sleep(250);
    }
    const workerd = descendants(child.pid!).filter((p) => comm(p) === 'workerd');
    return { base, webDir, web: web.source, bundleFile: join(bundleDir, 'index.js'), cpuMs: () => cpuMs(workerd), stop };
  } catch (err) {
    await stop();
    throw err;
  }
}
