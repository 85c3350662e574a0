/**
 * The one launcher of a local Pomegranate server, for the bench scripts, the system tests and the
 * browser tests: `wrangler dev` on 127.0.0.1 (workerd with the local D1, both Durable Objects, the
 * rate-limit bindings and the static-assets router with `_headers`: the runtime `npm start` uses),
 * serving from a temporary directory of its own:
 * - the Worker as bundled by `wrangler deploy --dry-run` (what would be deployed), built once:
 *   `wrangler dev` reloads the Worker whenever a watched file changes, dropping requests and
 *   sockets, and other people may be editing the sources while a run goes on;
 * - the web app: a copy of `dist/web`, or a fresh build (see {@link WebSource});
 * - its own D1 and Durable Object storage (`--persist-to`, migrations and seed applied), which a
 *   kill leaves in place, so that the server can be killed and restarted on the same state.
 *
 * `wrangler dev` gets a dev registry of its own and no config watching: wrangler reloads the Worker
 * (failing in-flight POSTs with 503 "Your worker restarted mid-request") whenever its dev registry
 * changes, and that registry is shared by every `wrangler dev` of the user, so another person's
 * server starting or stopping would do it.
 *
 * Processes are only ever signalled by pid (./process.ts): the ones this module spawned, their
 * process groups and descendants, and the wrangler child that re-executes itself outside the group
 * (recognised by the unique temporary directory in its command line).
 */
import { execFile, execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bankRelations, rawBank } from '../../db/bank';
import { parseBank, seedStatements } from '../../db/seed-sql';
import { commandName, cpuMs, freePort, killTree, OFFLINE_ENV, processTree, ROOT } from './process';
import { sleep } from './util';

// Commands ---------------------------------------------------------------------------------------

/** Children of setup commands running now, so that a clean-up can stop them too. */
const running = new Set<ChildProcess>();

/** Runs `npx …args` in `cwd`; rejects with its stderr on failure or after `timeoutMs`. */
export function npx(args: string[], { cwd = ROOT, timeoutMs = 180_000 } = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    const maxBuffer = 256 * 1024 * 1024;
    const options = { cwd, env: OFFLINE_ENV, maxBuffer, timeout: timeoutMs, killSignal: 'SIGKILL' as const };
    const child = execFile('npx', args, options, (err, stdout, stderr) => {
      running.delete(child);
      const what = `npx ${args.slice(0, 4).join(' ')} …`;
      if (err) reject(new Error(`${what} failed: ${err.message}\n${stderr.slice(-2000)}`));
      else resolve(stdout);
    });
    running.add(child);
  });
}

/** Runs a setup command up to `tries` times: on a shared machine a concurrent wrangler may hold a lock. */
async function npxRetry(args: string[], { cwd = ROOT, tries = 3 } = {}): Promise<string> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await npx(args, { cwd });
    } catch (err) {
      if (attempt >= tries) throw err;
      await sleep(2000);
    }
  }
}

const firstLine = (err: unknown) => String(err instanceof Error ? err.message : err).split('\n')[0];

// What is served ---------------------------------------------------------------------------------

/**
 * Which web app is served. `dist/web`: a copy of the existing build. `working-tree`: a fresh build
 * of web/ as it is now. `HEAD`: the working tree does not build (someone is mid-edit), so the last
 * committed web app, built from `git archive HEAD` (read-only) with the working tree's web/public
 * files (`_headers`) over it. `none`: no web app (an empty directory; pages answer 404).
 */
export type WebSource = 'working-tree' | 'HEAD' | 'dist/web' | 'none';

/** A copy of dist/web in `out`: `wrangler dev` also reloads when its assets directory changes (a build elsewhere). */
function copyWeb(out: string): WebSource {
  if (existsSync(join(ROOT, 'dist/web/index.html'))) {
    cpSync(join(ROOT, 'dist/web'), out, { recursive: true });
    return 'dist/web';
  }
  mkdirSync(out, { recursive: true });
  return 'none';
}

/** Builds the web app into `out`, falling back as {@link WebSource} says. */
async function buildWeb(dir: string, out: string): Promise<WebSource> {
  const build = (cwd: string) =>
    npxRetry(['vite', 'build', '--logLevel', 'error', '--outDir', out, '--emptyOutDir'], { cwd, tries: 1 });
  try {
    await build(ROOT);
    return 'working-tree';
  } catch (err) {
    console.warn(`local server: web/ does not build as it is (${firstLine(err)}); building the last commit's instead`);
  }
  try {
    const snapshot = join(dir, 'head');
    mkdirSync(snapshot);
    unpack('HEAD', snapshot);
    symlinkSync(join(ROOT, 'node_modules'), join(snapshot, 'node_modules'));
    await build(snapshot);
    cpSync(join(ROOT, 'web/public'), out, { recursive: true });
    rmSync(snapshot, { recursive: true, force: true });
    return 'HEAD';
  } catch (err) {
    console.warn(`local server: the last commit's web app does not build either (${firstLine(err)})`);
  }
  return copyWeb(out);
}

/** Which Worker (and D1 schema, seed) is served: the working tree's by default. */
export interface WorkerSource {
  /** This commit's instead of the working tree's. */
  rev?: string;
  /** With `rev`: files copied from the working tree over the commit's (one change at a time, for before/after). */
  overlay?: string[];
  /**
   * Without `rev`: the working tree, but these files as they are at `base` (deleted when not there):
   * "everything but my change".
   */
  revert?: string[];
  /** The commit `revert` takes files from; HEAD by default. */
  base?: string;
}

/** `git archive <rev>` unpacked into `dir` (reads the repository, never changes it). */
function unpack(rev: string, dir: string): void {
  const command = `git archive ${JSON.stringify(rev)} | tar -x -C ${JSON.stringify(dir)}`;
  execFileSync('sh', ['-c', command], { cwd: ROOT, stdio: 'ignore' });
}

/** A copy of the Worker's sources as `source` says, in `dir`; the repository itself for the working tree. */
function workerSources(dir: string, source: WorkerSource): string {
  if (!source.rev && !source.revert?.length) return ROOT;
  const src = join(dir, 'worker-src');
  mkdirSync(src);
  if (source.rev) {
    unpack(source.rev, src);
    for (const file of source.overlay ?? []) cpSync(join(ROOT, file), join(src, file), { recursive: true });
  } else {
    for (const entry of ['worker', 'db', 'wrangler.toml', 'package.json'])
      cpSync(join(ROOT, entry), join(src, entry), { recursive: true });
    for (const file of source.revert ?? []) {
      try {
        const show = ['show', `${source.base ?? 'HEAD'}:${file}`];
        writeFileSync(join(src, file), execFileSync('git', show, { cwd: ROOT, stdio: ['ignore', 'pipe', 'ignore'] }));
      } catch {
        rmSync(join(src, file), { force: true }); // not in the base commit: a new file of the change
      }
    }
  }
  symlinkSync(join(ROOT, 'node_modules'), join(src, 'node_modules'));
  mkdirSync(join(src, 'dist/web'), { recursive: true }); // wrangler checks that the assets directory exists
  return src;
}

/**
 * The repository's wrangler.toml as it is in `src` (the working tree, or a commit's copy), pointed
 * at a bundle of `wrangler deploy --dry-run` in `bundleDir` (no rebuild, no watching of the
 * sources), at `assetsDir` for the static assets and at `src`'s migrations.
 */
function devConfig(src: string, bundleDir: string, assetsDir: string): string {
  return readFileSync(join(src, 'wrangler.toml'), 'utf8')
    .replace(/^main = .*$/m, () => `main = ${JSON.stringify(join(bundleDir, 'index.js'))}\nno_bundle = true`)
    .replace(/^directory = "(.*)"$/m, () => `directory = ${JSON.stringify(assetsDir)}`)
    .replace(/^migrations_dir = "(.*)"$/m, (_all, dir: string) => `migrations_dir = ${JSON.stringify(join(src, dir))}`);
}

// The server -------------------------------------------------------------------------------------

export interface ServerOptions {
  /** Prefix of the temporary directory's name. */
  label: string;
  /** Port to serve on; a free one by default. */
  port?: number;
  /** Forward wrangler's stderr (warnings, errors) to ours. `SERVER_LOG=1` forwards its stdout too. */
  verbose?: boolean;
  /** `copy` (the default): a copy of dist/web. `build`: a fresh build, for figures of web/ as it is. */
  web?: 'copy' | 'build';
  worker?: WorkerSource;
  /** Port of workerd's inspector, to profile the Worker. */
  inspectorPort?: number;
}

/** One wrangler dev server on its own state. Create with {@link LocalServer.create} or {@link startServer}. */
export class LocalServer {
  readonly base: string;
  readonly wsBase: string;
  /** Its `--persist-to` directory: D1 and Durable Object storage. */
  readonly persist: string;
  /** The directory of the Worker's sources and config (the repository, or a commit's copy). */
  private src = ROOT;
  /** Its wrangler.toml: the repository's, pointed at the bundle, the web app and the migrations. */
  readonly configPath: string;
  /** Directory of the web app being served. */
  readonly webDir: string;
  /** Which web app is served. */
  web: WebSource = 'none';
  /** The Worker bundle (`wrangler deploy --dry-run`). */
  readonly bundleFile: string;
  private child: ChildProcess | null = null;
  private childPids: number[] = [];
  private stopping = false;
  /** Set when the server exits without being asked to. */
  onUnexpectedExit: ((why: string) => void) | null = null;
  /** Lines wrangler printed on stderr (the last ones are kept). */
  readonly log: string[] = [];

  /**
   * `dir` holds `state/` (the `--persist-to` directory) apart from `run/` (the config, the Worker
   * bundle, the web app), so that nothing wrangler dev reads lies under the state it writes.
   */
  private constructor(
    /** The temporary directory holding everything of this server. */
    readonly dir: string,
    readonly port: number,
    private readonly options: ServerOptions,
  ) {
    this.base = `http://127.0.0.1:${port}`;
    this.wsBase = `ws://127.0.0.1:${port}`;
    this.persist = join(dir, 'state');
    this.configPath = join(dir, 'run', 'wrangler.toml');
    this.webDir = join(dir, 'run', 'web');
    this.bundleFile = join(dir, 'run', 'bundle', 'index.js');
  }

  /** Prepares a server (web app, Worker bundle, D1 migrated and seeded) without starting it. */
  static async create(options: ServerOptions): Promise<LocalServer> {
    const dir = mkdtempSync(join(tmpdir(), `pomegranate-${options.label}-`));
    const server = new LocalServer(dir, options.port ?? (await freePort()), options);
    liveServers.add(server);
    try {
      await server.prepare();
    } catch (err) {
      await server.stop();
      throw err;
    }
    return server;
  }

  private async prepare(): Promise<void> {
    mkdirSync(this.persist, { recursive: true });
    mkdirSync(join(this.dir, 'run'), { recursive: true });
    this.web = this.options.web === 'build' ? await buildWeb(this.dir, this.webDir) : copyWeb(this.webDir);
    const src = workerSources(this.dir, this.options.worker ?? {});
    this.src = src;
    await npxRetry(['wrangler', 'deploy', '--dry-run', '--outdir', join(this.dir, 'run', 'bundle')], { cwd: src });
    const local = ['--local', '--persist-to', this.persist];
    await npxRetry(['wrangler', 'd1', 'migrations', 'apply', 'DB', ...local], { cwd: src });
    if (src === ROOT) {
      // The seed's SQL goes to our own directory: db/seed.ts writes a file shared with anyone seeding at once.
      const seedFile = join(this.dir, 'seed.sql');
      writeFileSync(seedFile, seedStatements(parseBank(rawBank), Date.now(), bankRelations).join('\n'));
      await npxRetry(['wrangler', 'd1', 'execute', 'DB', ...local, '--file', seedFile]);
    } else {
      // Another commit's bank and seed: its own seed script, in its own copy.
      await npxRetry(['tsx', 'db/seed.ts', '--persist-to', this.persist], { cwd: src });
    }
    writeFileSync(this.configPath, devConfig(src, join(this.dir, 'run', 'bundle'), this.webDir));
  }

  get running(): boolean {
    return this.child !== null;
  }

  /** Starts wrangler dev and waits until `/api/health` answers (at most `timeoutMs`). Returns the time it took. */
  async start(timeoutMs = 60_000): Promise<number> {
    if (this.child) throw new Error('server already running');
    // The previous run's port must be free again (and no one else's server on it).
    await this.waitPortClosed(10_000);
    const started = Date.now();
    this.stopping = false;
    const args = [
      'wrangler',
      'dev',
      '--config',
      this.configPath,
      '--ip',
      '127.0.0.1',
      '--port',
      String(this.port),
      '--persist-to',
      this.persist,
      '--log-level',
      'warn',
      '--show-interactive-dev-session=false',
      ...(this.options.inspectorPort ? ['--inspector-port', String(this.options.inspectorPort)] : []),
    ];
    const env = {
      ...OFFLINE_ENV,
      WRANGLER_REGISTRY_PATH: join(this.dir, 'registry'),
      WRANGLER_CI_DISABLE_CONFIG_WATCHING: 'true',
    };
    const stdout = process.env.SERVER_LOG ? 'inherit' : 'ignore';
    const child = spawn('npx', args, { cwd: this.src, env, detached: true, stdio: ['ignore', stdout, 'pipe'] });
    this.child = child;
    this.childPids = child.pid ? [child.pid] : [];
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (chunk: string) => {
      for (const line of chunk.split('\n').filter(Boolean)) {
        this.log.push(line);
        if (this.log.length > 200) this.log.shift();
        if (this.options.verbose) process.stderr.write(`[wrangler] ${line}\n`);
      }
    });
    child.once('exit', (code, signal) => {
      // Only the running server's exit is news: a killed one's may be seen after the next start.
      if (this.child !== child) return;
      this.child = null;
      if (!this.stopping) this.onUnexpectedExit?.(`wrangler dev exited (${code ?? signal})`);
    });
    for (;;) {
      try {
        const res = await fetch(`${this.base}/api/health`, { signal: AbortSignal.timeout(2000) });
        if (res.ok) return Date.now() - started;
      } catch {
        // Not listening yet.
      }
      if (!this.child) throw new Error(`wrangler dev exited before it was ready:\n${this.log.slice(-20).join('\n')}`);
      if (Date.now() - started > timeoutMs)
        throw new Error(`wrangler dev did not answer on ${this.base} within ${timeoutMs / 1000} s`);
      await sleep(200);
    }
  }

  /** Every live pid of this server: wrangler, its re-executed child, workerd. */
  pids(): number[] {
    return processTree(this.childPids, this.dir);
  }

  /**
   * CPU time (ms, user + system) the server's workerd processes have used so far: the Worker, D1
   * and the Durable Objects all run in them.
   */
  cpuMs(): number {
    return cpuMs(this.pids().filter((pid) => commandName(pid) === 'workerd'));
  }

  /**
   * Kills the whole server. SIGKILL: at once, no chance to flush or close anything (a crash).
   * SIGTERM: a polite stop, SIGKILL after a grace period. Returns the pids that were signalled.
   */
  async kill(signal: 'SIGKILL' | 'SIGTERM'): Promise<number[]> {
    this.stopping = true;
    const killed = await killTree(this.childPids, this.dir, signal);
    this.child = null;
    this.childPids = [];
    return killed;
  }

  private async waitPortClosed(ms: number): Promise<void> {
    const deadline = Date.now() + ms;
    while (Date.now() < deadline) {
      try {
        await fetch(`${this.base}/api/health`, { signal: AbortSignal.timeout(500) });
      } catch {
        return;
      }
      await sleep(100);
    }
    throw new Error(`port ${this.port} is taken: a server there still answers after ${ms / 1000} s`);
  }

  /** Runs one SQL statement against this server's local D1 (through wrangler) and returns its rows. */
  async d1<T = Record<string, unknown>>(sql: string): Promise<T[]> {
    const local = ['--local', '--persist-to', this.persist];
    const out = await npxRetry(['wrangler', 'd1', 'execute', 'DB', ...local, '--json', '--command', sql]);
    const parsed = JSON.parse(out.slice(out.indexOf('['))) as { results: T[]; success: boolean }[];
    if (!parsed[0]?.success) throw new Error(`D1 query failed: ${sql}`);
    return parsed[0].results;
  }

  /** Stops the server (if running) and removes its directory. */
  async stop(): Promise<void> {
    if (this.child || this.pids().length) await this.kill('SIGTERM');
    rmSync(this.dir, { recursive: true, force: true });
    liveServers.delete(this);
  }
}

const liveServers = new Set<LocalServer>();

/** Prepares and starts a server; resolves once it answers (stopped and removed again if it never does). */
export async function startServer(options: ServerOptions): Promise<LocalServer> {
  const server = await LocalServer.create(options);
  try {
    await server.start();
  } catch (err) {
    await server.stop();
    throw err;
  }
  return server;
}

/** A string as an SQL literal. */
export const sqlString = (s: string) => `'${s.replace(/'/g, "''")}'`;

/** A participant of a session as D1 holds it, with the count and sums of its stored answers. */
export interface StoredParticipant {
  nickname: string;
  score: number;
  correct_count: number;
  position: number;
  /** 1 when finished, else 0. */
  finished: number;
  /** Stored answers. */
  n: number;
  /** Sum of their points. */
  pts: number;
  /** Right ones among them. */
  c: number;
}

/** Every participant of a session in `server`'s D1, with what its stored answers add up to (to check totals). */
export function storedParticipants(server: LocalServer, sessionId: string): Promise<StoredParticipant[]> {
  return server.d1<StoredParticipant>(
    `SELECT p.nickname, p.score, p.correct_count, p.position, p.finished_at IS NOT NULL AS finished,
            (SELECT count(*) FROM answers a WHERE a.participant_id = p.id) AS n,
            (SELECT coalesce(sum(a.points), 0) FROM answers a WHERE a.participant_id = p.id) AS pts,
            (SELECT coalesce(sum(a.correct), 0) FROM answers a WHERE a.participant_id = p.id) AS c
     FROM participants p WHERE p.session_id = ${sqlString(sessionId)}`,
  );
}

/** Stops every server and setup command this process started, and removes their state. */
export async function stopAll(): Promise<void> {
  for (const child of running) if (child.pid) await killTree([child.pid], undefined, 'SIGKILL');
  for (const server of [...liveServers]) await server.stop().catch(() => undefined);
}

/**
 * Exits after `run` with its code, stopping everything on the way out: on success, on a failure,
 * on Ctrl-C and after `timeoutMs` at most.
 */
export function main(name: string, timeoutMs: number, run: () => Promise<number>): void {
  let done = false;
  const finish = async (code: number, message?: string) => {
    if (done) return;
    done = true;
    if (message) console.error(`${name}: ${message}`);
    await stopAll();
    process.exit(code);
  };
  const watchdog = setTimeout(() => void finish(1, `gave up after ${timeoutMs / 1000} s`), timeoutMs);
  process.on('SIGINT', () => void finish(130, 'interrupted'));
  process.on('SIGTERM', () => void finish(143, 'terminated'));
  run().then(
    (code) => {
      clearTimeout(watchdog);
      return finish(code);
    },
    (err: unknown) => {
      clearTimeout(watchdog);
      return finish(1, err instanceof Error ? (err.stack ?? err.message) : String(err));
    },
  );
}
