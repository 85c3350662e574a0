/**
 * A local Pomegranate server for the bench scripts: `wrangler dev` on 127.0.0.1 with its own D1 and
 * Durable Object storage in a temporary `--persist-to` directory (migrations + seed applied), which
 * this module starts, kills (SIGTERM or SIGKILL, the whole process tree) and restarts on the same
 * state, and removes at the end.
 *
 * The server runs the deploy bundle (`wrangler deploy --dry-run`, built once, offline) rather than
 * the sources, and a copy of `dist/web`: `wrangler dev` reloads the Worker whenever a watched file
 * changes, and other people may be editing the sources or rebuilding the web app while a bench runs.
 *
 * Processes are only ever signalled by pid: the ones this module spawned, their descendants, and
 * the wrangler child that re-executes itself outside the process group (recognised by the unique
 * temporary directory in its command line).
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { rawBank } from '../../db/bank';
import { parseBank, seedStatements } from '../../db/seed-sql';
import { devArgs, devConfig, freePort, killTree, OFFLINE_ENV, processTree, ROOT } from './process';
import { sleep } from './util';

// Commands ---------------------------------------------------------------------------------------

/** Children of setup commands running now, so that a cleanup can stop them too. */
const running = new Set<ChildProcess>();

/** Runs `npx …args` in the repository; rejects with its stderr on failure or after `timeoutMs`. */
export function npx(args: string[], timeoutMs = 120_000): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = execFile('npx', args, { cwd: ROOT, env: OFFLINE_ENV, maxBuffer: 256 * 1024 * 1024, timeout: timeoutMs, killSignal: 'SIGKILL' }, (err, stdout, stderr) => {
      running.delete(child);
      if (err) reject(new Error(`npx ${args.slice(0, 4).join(' ')} … failed: ${err.message}\n${stderr.slice(-2000)}`));
      else resolve(stdout);
    });
    running.add(child);
  });
}

/** Retries a setup command twice: on a shared machine a concurrent wrangler may hold a lock. */
async function npxRetry(args: string[], timeoutMs?: number): Promise<string> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await npx(args, timeoutMs);
    } catch (err) {
      if (attempt >= 3) throw err;
      await sleep(2000);
    }
  }
}

// The server -------------------------------------------------------------------------------------

export interface ServerOptions {
  /** Prefix of the temporary directory's name. */
  label: string;
  /** Port to serve on; a free one by default. */
  port?: number;
  /** Forward wrangler's stderr (warnings, errors) to ours. */
  verbose?: boolean;
}

/** One wrangler dev server on its own state. Create with {@link LocalServer.create}. */
export class LocalServer {
  readonly base: string;
  readonly wsBase: string;
  private child: ChildProcess | null = null;
  private childPids: number[] = [];
  private stopping = false;
  /** Set when the server exits without being asked to. */
  onUnexpectedExit: ((why: string) => void) | null = null;
  /** Lines wrangler printed on stderr (the last ones are kept). */
  readonly log: string[] = [];

  private constructor(
    /** The temporary directory holding everything of this server. */
    readonly dir: string,
    /** Its `--persist-to` directory. */
    readonly persist: string,
    readonly configPath: string,
    readonly port: number,
    private readonly verbose: boolean,
  ) {
    this.base = `http://127.0.0.1:${port}`;
    this.wsBase = `ws://127.0.0.1:${port}`;
  }

  /**
   * A fresh temporary directory: `state/` (the `--persist-to` directory: D1 migrated and seeded,
   * Durable Object storage) and `run/` (the config, the Worker bundle, a copy of the web app).
   * Kept apart, so that nothing wrangler dev watches (the bundle's directory, the assets, the
   * config) lies under the state it writes while it runs.
   */
  static async create(options: ServerOptions): Promise<LocalServer> {
    const dir = mkdtempSync(join(tmpdir(), `pomegranate-${options.label}-`));
    const persist = join(dir, 'state');
    const run = join(dir, 'run');
    mkdirSync(persist, { recursive: true });
    mkdirSync(run, { recursive: true });
    const port = options.port ?? (await freePort());
    const server = new LocalServer(dir, persist, join(run, 'wrangler.toml'), port, options.verbose ?? false);
    liveServers.add(server);
    await npxRetry(['wrangler', 'd1', 'migrations', 'apply', 'DB', '--local', '--persist-to', persist]);
    // The seed's SQL goes to our own directory (db/seed.ts writes a file shared with anyone seeding at the same time).
    const seedFile = join(dir, 'seed.sql');
    writeFileSync(seedFile, seedStatements(parseBank(rawBank)).join('\n'));
    await npxRetry(['wrangler', 'd1', 'execute', 'DB', '--local', '--persist-to', persist, '--file', seedFile]);
    const bundleDir = join(run, 'bundle');
    await npxRetry(['wrangler', 'deploy', '--dry-run', '--outdir', bundleDir]);
    // A copy of the built web app: wrangler dev also reloads when its assets directory changes (a build elsewhere).
    const assets = join(run, 'assets');
    if (existsSync(join(ROOT, 'dist/web'))) cpSync(join(ROOT, 'dist/web'), assets, { recursive: true });
    else mkdirSync(assets, { recursive: true });
    writeFileSync(server.configPath, devConfig(ROOT, bundleDir, assets));
    return server;
  }

  get running(): boolean {
    return this.child !== null;
  }

  /** Starts wrangler dev and waits until `/api/health` answers (at most `timeoutMs`). Returns the time it took. */
  async start(timeoutMs = 60_000): Promise<number> {
    if (this.child) throw new Error('server already running');
    // The previous run's port must be free again.
    await this.waitPortClosed(10_000);
    const started = Date.now();
    this.stopping = false;
    const child = spawn('npx', devArgs(this.configPath, this.port, this.persist), { cwd: ROOT, env: OFFLINE_ENV, detached: true, stdio: ['ignore', 'ignore', 'pipe'] });
    this.child = child;
    this.childPids = child.pid ? [child.pid] : [];
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (chunk: string) => {
      for (const line of chunk.split('\n').filter(Boolean)) {
        this.log.push(line);
        if (this.log.length > 200) this.log.shift();
        if (this.verbose) process.stderr.write(`[wrangler] ${line}\n`);
      }
    });
    child.once('exit', (code, signal) => {
      if (this.child === child) this.child = null;
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
      if (Date.now() - started > timeoutMs) throw new Error(`wrangler dev did not answer on ${this.base} within ${timeoutMs / 1000} s`);
      await sleep(200);
    }
  }

  /** Every live pid of this server: wrangler, its re-executed child, workerd. */
  pids(): number[] {
    return processTree(this.childPids, this.dir);
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
    throw new Error(`port ${this.port} is still answering`);
  }

  /** Runs one SQL statement against this server's local D1 (through wrangler) and returns its rows. */
  async d1<T = Record<string, unknown>>(sql: string): Promise<T[]> {
    const out = await npxRetry(['wrangler', 'd1', 'execute', 'DB', '--local', '--persist-to', this.persist, '--json', '--command', sql]);
    const parsed = JSON.parse(out.slice(out.indexOf('['))) as { results: T[]; success: boolean }[];
    if (!parsed[0]?.success) throw new Error(`D1 query failed: ${sql}`);
    return parsed[0].results;
  }

  /** Stops the server (if running) and removes its state directory. */
  async dispose(): Promise<void> {
    if (this.child || this.pids().length) await this.kill('SIGTERM');
    rmSync(this.dir, { recursive: true, force: true });
    liveServers.delete(this);
  }
}

const liveServers = new Set<LocalServer>();

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

/** Every participant of a session in `server`'s D1, with what its stored answers add up to (to check the totals). */
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
export async function disposeAll(): Promise<void> {
  for (const child of running) if (child.pid) await killTree([child.pid], undefined, 'SIGKILL');
  for (const server of [...liveServers]) await server.dispose().catch(() => undefined);
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
    await disposeAll();
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
