/**
 * The Worker served by workerd through Miniflare's API, without `wrangler dev` in front: the same
 * deploy bundle, config, D1 (migrations and seed) and web app as {@link LocalServer} prepares, the
 * bindings wrangler itself would derive from wrangler.toml (`unstable_getMiniflareWorkerOptions`:
 * D1, both Durable Objects on SQLite, the rate limiters, the assets router), in a workerd that is a
 * child of this process. What `wrangler dev` adds on top (its proxy worker in a second workerd, the
 * Node process between) is the difference between the two servers' figures.
 */
import { dirname, join } from 'node:path';
import type { Readable } from 'node:stream';
import { Log, LogLevel, Miniflare } from 'miniflare';
import { unstable_getMiniflareWorkerOptions } from 'wrangler';
import { LocalServer, type WorkerSource } from './local-server';
import { commandName, processTree } from './process';

/** The workerd processes this Node process has started (Miniflare's runtime among them). */
export function ownWorkerdPids(): number[] {
  return processTree([process.pid]).filter((pid) => commandName(pid) === 'workerd');
}

export interface MiniflareServerOptions {
  label: string;
  port: number;
  /** Forward the runtime's stdout and stderr (the Worker's console) to ours. */
  verbose?: boolean;
  /** Which Worker to serve: the working tree's by default. */
  worker?: WorkerSource;
}

export class MiniflareServer {
  readonly base: string;
  private mf: Miniflare | null = null;
  /** The workerd process serving (Worker, D1 and Durable Objects all run in it), once started. */
  pid: number | null = null;

  private constructor(
    /** Holds the prepared bundle, config, web app and state (its `wrangler dev` is never started). */
    readonly prepared: LocalServer,
    private readonly options: MiniflareServerOptions,
  ) {
    this.base = `http://127.0.0.1:${options.port}`;
  }

  /** Prepares the bundle, D1 and web app (as {@link LocalServer.create}) without starting anything. */
  static async create(options: MiniflareServerOptions): Promise<MiniflareServer> {
    const prepared = await LocalServer.create({ label: options.label, port: options.port, worker: options.worker });
    return new MiniflareServer(prepared, options);
  }

  /** Starts workerd and waits until `/api/health` answers; returns the time it took. */
  async start(): Promise<number> {
    if (this.mf) throw new Error('miniflare server already running');
    const started = Date.now();
    const { workerOptions } = unstable_getMiniflareWorkerOptions(this.prepared.configPath);
    const before = new Set(ownWorkerdPids());
    const verbose = this.options.verbose ?? false;
    this.mf = new Miniflare({
      ...(workerOptions as object),
      name: 'pomegranate',
      modules: true,
      scriptPath: this.prepared.bundleFile,
      // Module names are paths relative to this root; the bundle lives in a temporary directory.
      modulesRoot: dirname(this.prepared.bundleFile),
      host: '127.0.0.1',
      port: this.options.port,
      // `wrangler dev --persist-to <dir>` keeps its state in <dir>/v3: the D1 migrated and seeded there.
      defaultPersistRoot: join(this.prepared.persist, 'v3'),
      log: new Log(verbose ? LogLevel.WARN : LogLevel.ERROR),
      handleRuntimeStdio: (stdout: Readable, stderr: Readable) => {
        if (!verbose) {
          stdout.resume();
          stderr.resume();
          return;
        }
        stdout.on('data', (chunk: Buffer) => process.stderr.write(`[workerd] ${chunk.toString()}`));
        stderr.on('data', (chunk: Buffer) => process.stderr.write(`[workerd] ${chunk.toString()}`));
      },
    } as ConstructorParameters<typeof Miniflare>[0]);
    await this.mf.ready;
    this.pid = ownWorkerdPids().find((pid) => !before.has(pid)) ?? null;
    const res = await fetch(`${this.base}/api/health`);
    if (!res.ok) throw new Error(`miniflare server: /api/health answered ${res.status}`);
    return Date.now() - started;
  }

  /** Stops workerd and removes the prepared directory. */
  async stop(): Promise<void> {
    const mf = this.mf;
    this.mf = null;
    this.pid = null;
    if (mf) await mf.dispose();
    await this.prepared.stop();
  }
}
