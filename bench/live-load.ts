/**
 * Load test of the live game (issue #5): one host and N players through a whole game, against a
 * real `wrangler dev` (workerd + the LiveRoom Durable Object + local D1) that this script starts
 * and stops itself, on 127.0.0.1 only.
 *
 *   npx tsx bench/live-load.ts --players 500 [--questions 5] [--time-limit 30] [--spread-ms 1000]
 *                              [--port 8791] [--timeout-s 300]
 *
 * Steps: fresh D1 in a temporary directory (migrations + seed), `wrangler dev` serving the deploy
 * bundle (`wrangler deploy --dry-run`, so that edits to the sources cannot reload it), a live session
 * over HTTP, N joins over HTTP (join time), N + 1 WebSockets (connect time), then for every
 * question: the host's `start`/`next` → every player's `question` (broadcast latency), each
 * player answers after a random delay within `--spread-ms` (answer → ack latency), everyone
 * answered → reveal and result at every player, `next` → leaderboard, and after the last question
 * `next` → final. Prints p50/p95/max and writes `bench/results/live.json`.
 *
 * Latencies are measured in this one Node process, which also drives all N sockets: its own event
 * loop is part of every figure (an upper bound for what the server adds).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import WebSocket from 'ws';

// The protocol's types live in worker/live/protocol.ts; this script only needs these fields.
interface Msg {
  type: string;
  position?: number;
  questionId?: string;
  question?: { id: string; type: string; options?: { id: string }[]; targets?: { id: string }[] };
  code?: string;
  message?: string;
}

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

// Options --------------------------------------------------------------------------------------

function option(name: string, fallback: number, min: number, max: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const value = i >= 0 ? Number(process.argv[i + 1]) : fallback;
  if (!Number.isInteger(value) || value < min || value > max) {
    console.error(`--${name} must be an integer from ${min} to ${max}`);
    process.exit(2);
  }
  return value;
}
// A session holds at most 1000 students (`maxPlayers` of POST /api/sessions).
const PLAYERS = option('players', 500, 1, 1000);
const QUESTIONS = option('questions', 5, 1, 20);
const TIME_LIMIT = option('time-limit', 30, 5, 600);
const SPREAD_MS = option('spread-ms', 1000, 0, 20_000);
const PORT = option('port', 8791, 1024, 65535);
const TIMEOUT_S = option('timeout-s', 300, 30, 1800);
const BASE = `http://127.0.0.1:${PORT}`;
const WS_BASE = `ws://127.0.0.1:${PORT}`;
/** Parallel HTTP joins and WebSocket opens (a classroom's devices do not all connect in the same millisecond either). */
const CONCURRENCY = 25;

// Process management ---------------------------------------------------------------------------

const offline = { ...process.env, WRANGLER_SEND_METRICS: 'false', CLOUDFLARE_CF_FETCH_ENABLED: 'false', CI: '1' };
const persist = mkdtempSync(join(tmpdir(), 'pomegranate-live-load-'));
let server: ChildProcess | null = null;
/** The setup command running now (migrations, seed, bundle), if any. */
let setupChild: ChildProcess | null = null;
const sockets: WebSocket[] = [];
let cleaning: Promise<void> | null = null;

/** Stops everything this script started: sockets, the wrangler process group, the temporary D1. */
function cleanup(): Promise<void> {
  cleaning ??= (async () => {
    for (const ws of sockets) ws.terminate();
    for (const child of [setupChild, server]) await stop(child);
    rmSync(persist, { recursive: true, force: true });
  })();
  return cleaning;
}

/** Ends a child's whole process group (npx → node → workerd …): SIGTERM, SIGKILL after 5 s; waits until the group is gone. */
async function stop(child: ChildProcess | null): Promise<void> {
  const pgid = child?.pid;
  if (!pgid) return;
  const alive = () => {
    try {
      process.kill(-pgid, 0);
      return true;
    } catch {
      return false;
    }
  };
  const signal = (name: NodeJS.Signals) => {
    try {
      process.kill(-pgid, name);
    } catch {
      // Already gone.
    }
  };
  signal('SIGTERM');
  for (let waited = 0; alive() && waited < 8000; waited += 100) {
    if (waited === 5000) signal('SIGKILL');
    await sleep(100);
  }
}

async function fail(message: string): Promise<never> {
  // Only the first failure is worth reading; the others are its echoes while everything stops.
  if (!cleaning) console.error(`live-load: ${message}`);
  await cleanup();
  process.exit(1);
}

process.on('SIGINT', () => void fail('interrupted'));
process.on('SIGTERM', () => void fail('terminated'));
const watchdog = setTimeout(() => void fail(`gave up after ${TIMEOUT_S} s`), TIMEOUT_S * 1000);

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `check` until it holds; fails after `ms`. */
async function until(check: () => boolean, what: string, ms = 30_000, detail?: () => string): Promise<void> {
  const deadline = performance.now() + ms;
  while (!check()) {
    if (performance.now() > deadline) await fail(`timed out waiting for ${what}${detail ? ` (${detail()})` : ''}`);
    await sleep(2);
  }
}

async function startServer(): Promise<void> {
  if (!existsSync(join(root, 'dist/web'))) {
    // wrangler dev refuses to start without the assets directory; the API does not need its contents.
    mkdirSync(join(root, 'dist/web'), { recursive: true });
  }
  // Setup commands run asynchronously (so Ctrl-C is handled at once) and get a second and third
  // try: on a shared machine a concurrent wrangler may hold a lock.
  const runOnce = (args: string[]) =>
    new Promise<void>((resolve, reject) => {
      const child = spawn('npx', args, { cwd: root, env: offline, detached: true, stdio: ['ignore', 'ignore', 'inherit'] });
      setupChild = child;
      child.once('error', reject);
      child.once('exit', (code, signal) => {
        setupChild = null;
        if (code === 0) resolve();
        else reject(new Error(`npx ${args.join(' ')} failed (${code ?? signal})`));
      });
    });
  const run = async (args: string[]) => {
    for (let attempt = 1; ; attempt++) {
      try {
        return await runOnce(args);
      } catch (err) {
        if (attempt >= 3 || cleaning) throw err;
        await sleep(2000);
      }
    }
  };
  await run(['wrangler', 'd1', 'migrations', 'apply', 'DB', '--local', '--persist-to', persist]);
  await run(['tsx', 'db/seed.ts', '--persist-to', persist]);
  // Serve the deploy bundle (built once, offline) rather than the sources: `wrangler dev` reloads
  // the Worker, dropping every socket, whenever a watched file changes, and others may be editing.
  const bundleDir = join(persist, 'bundle');
  await run(['wrangler', 'deploy', '--dry-run', '--outdir', bundleDir]);
  const config = readFileSync(join(root, 'wrangler.toml'), 'utf8')
    .replace(/^main = .*$/m, `main = ${JSON.stringify(join(bundleDir, 'index.js'))}\nno_bundle = true`)
    .replace(/^(directory|migrations_dir) = "(.*)"$/gm, (_all, key: string, path: string) => `${key} = ${JSON.stringify(join(root, path))}`);
  const configPath = join(persist, 'wrangler.toml');
  writeFileSync(configPath, config);
  server = spawn(
    'npx',
    [
      'wrangler', 'dev', '--config', configPath, '--ip', '127.0.0.1', '--port', String(PORT), '--persist-to', persist,
      '--log-level', 'warn', '--show-interactive-dev-session=false',
    ],
    { cwd: root, env: offline, detached: true, stdio: ['ignore', 'inherit', 'inherit'] },
  );
  server.once('exit', (code, signal) => {
    if (!cleaning) void fail(`wrangler dev exited (${code ?? signal})`);
  });
  const deadline = performance.now() + 60_000;
  for (;;) {
    try {
      if ((await fetch(`${BASE}/api/health`)).ok) return;
    } catch {
      // Not listening yet.
    }
    if (performance.now() > deadline) await fail('wrangler dev did not become ready within 60 s');
    await sleep(250);
  }
}

// Statistics ---------------------------------------------------------------------------------

interface Stats {
  n: number;
  p50: number;
  p95: number;
  max: number;
  mean: number;
}

function stats(values: number[]): Stats {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? NaN;
  const round = (x: number) => Math.round(x * 10) / 10;
  return {
    n: sorted.length,
    p50: round(at(50)),
    p95: round(at(95)),
    max: round(sorted[sorted.length - 1] ?? NaN),
    mean: round(sorted.reduce((s, x) => s + x, 0) / (sorted.length || 1)),
  };
}

/** Runs `task` over `items` with at most `limit` in flight. */
async function pool<T, R>(items: T[], limit: number, task: (item: T, i: number) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await task(items[i]!, i);
      }
    }),
  );
  return out;
}

// Clients ------------------------------------------------------------------------------------

async function post<T>(path: string, body: unknown): Promise<T> {
  const res = await fetch(`${BASE}${path}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
  const text = await res.text();
  if (!res.ok) await fail(`POST ${path} → ${res.status} ${text}`);
  return JSON.parse(text) as T;
}

/** One live socket with counters the game loop polls. */
class Client {
  readonly ws: WebSocket;
  welcomed = false;
  /** Receive time of the `question` message per position. */
  questionAt = new Map<number, number>();
  question = new Map<number, NonNullable<Msg['question']>>();
  ackAt = new Map<string, number>();
  revealAt = new Map<number, number>();
  results = 0;
  leaderboards = 0;
  finals = 0;
  players = 0;
  errors: Msg[] = [];

  constructor(url: string) {
    this.ws = new WebSocket(url, { perMessageDeflate: false });
    sockets.push(this.ws);
    this.ws.on('message', (data) => {
      const now = performance.now();
      const msg = JSON.parse(String(data)) as Msg;
      switch (msg.type) {
        case 'welcome':
          this.welcomed = true;
          break;
        case 'question':
          this.questionAt.set(msg.position!, now);
          this.question.set(msg.position!, msg.question!);
          break;
        case 'ack':
          this.ackAt.set(msg.questionId!, now);
          break;
        case 'reveal':
          this.revealAt.set(msg.position!, now);
          break;
        case 'result':
          this.results++;
          break;
        case 'leaderboard':
          this.leaderboards++;
          break;
        case 'final':
          this.finals++;
          break;
        case 'player':
          this.players++;
          break;
        case 'error':
          this.errors.push(msg);
          break;
        default:
          break;
      }
    });
    this.ws.on('error', (err) => void fail(`socket error: ${err.message}`));
  }

  opened(): Promise<void> {
    return new Promise((resolve, reject) => {
      if (this.ws.readyState === WebSocket.OPEN) return resolve();
      this.ws.once('open', () => resolve());
      this.ws.once('unexpected-response', (_req, res) => reject(new Error(`upgrade refused: ${res.statusCode}`)));
    });
  }

  send(msg: unknown) {
    this.ws.send(JSON.stringify(msg));
  }
}

/** A well-formed (not necessarily right) response to a question as a student sees it. */
function anyResponse(q: NonNullable<Msg['question']>): unknown {
  const ids = (q.options ?? []).map((o) => o.id);
  const pick = () => ids[Math.floor(Math.random() * ids.length)]!;
  switch (q.type) {
    case 'single':
      return { optionId: pick() };
    case 'multi':
      return { optionIds: ids.slice(0, 2) };
    case 'truefalse':
      return { value: Math.random() < 0.5 };
    case 'numeric':
      return { value: Math.round(Math.random() * 100) };
    case 'ordering':
      return { order: [...ids].sort(() => Math.random() - 0.5) };
    case 'matching': {
      const targets = (q.targets ?? []).map((t) => t.id);
      return { pairs: Object.fromEntries(ids.map((id, i) => [id, targets[i % targets.length]!])) };
    }
    default:
      return { text: 'answer' };
  }
}

// The run --------------------------------------------------------------------------------------

async function main() {
  console.log(`live-load: ${PLAYERS} players, ${QUESTIONS} questions, ${cpus().length} CPUs, Node ${process.version}`);
  const bootStart = performance.now();
  await startServer();
  console.log(`server ready in ${((performance.now() - bootStart) / 1000).toFixed(1)} s`);

  const session = await post<{ id: string; code: string; teacherKey: string; questionCount: number }>('/api/sessions', {
    title: 'Load test',
    count: QUESTIONS,
    timeLimitSec: TIME_LIMIT,
    mode: 'live',
    maxPlayers: PLAYERS,
  });

  // Joins over HTTP.
  const joinLatencies: number[] = [];
  const joinStart = performance.now();
  const tokens = await pool(
    Array.from({ length: PLAYERS }, (_, i) => `p${String(i + 1).padStart(4, '0')}`),
    CONCURRENCY,
    async (nickname) => {
      const t = performance.now();
      const joined = await post<{ token: string }>(`/api/codes/${session.code}/participants`, { nickname });
      joinLatencies.push(performance.now() - t);
      return joined.token;
    },
  );
  const joinWallMs = performance.now() - joinStart;
  console.log(`joined ${PLAYERS} players over HTTP in ${(joinWallMs / 1000).toFixed(2)} s`);

  // WebSockets.
  const host = new Client(`${WS_BASE}/api/sessions/${session.code}/live?key=${session.teacherKey}`);
  await host.opened();
  await until(() => host.welcomed, 'the host welcome');
  const connectLatencies: number[] = [];
  const connectStart = performance.now();
  const players = await pool(tokens, CONCURRENCY, async (token) => {
    const t = performance.now();
    const client = new Client(`${WS_BASE}/api/sessions/${session.code}/live?token=${token}`);
    await client.opened();
    await until(() => client.welcomed, 'a player welcome');
    connectLatencies.push(performance.now() - t);
    return client;
  });
  await until(() => host.players >= PLAYERS, 'the host to see every player');
  const connectWallMs = performance.now() - connectStart;
  console.log(`opened ${PLAYERS + 1} WebSockets in ${(connectWallMs / 1000).toFixed(2)} s`);

  const broadcast: number[] = [];
  const perQuestion: { position: number; type: string; broadcast: Stats; ack: Stats; revealAfterLastAnswer: Stats }[] = [];
  const acks: number[] = [];
  const reveals: number[] = [];
  const total = session.questionCount;
  for (let position = 0; position < total; position++) {
    // The host's start / next → every player's question.
    const sent = performance.now();
    host.send({ type: position === 0 ? 'start' : 'next' });
    await until(
      () => players.every((p) => p.questionAt.has(position)),
      `question ${position} at every player`,
      30_000,
      () => `${players.filter((p) => p.questionAt.has(position)).length} of ${PLAYERS} got it; ${players.filter((p) => p.ws.readyState !== WebSocket.OPEN).length} sockets closed`,
    );
    const reach = players.map((p) => p.questionAt.get(position)! - sent);
    broadcast.push(...reach);

    // Every player answers within the spread; answer → ack.
    const questionId = players[0]!.question.get(position)!.id;
    const sentAt = new Map<Client, number>();
    await Promise.all(
      players.map(async (p) => {
        await sleep(Math.random() * SPREAD_MS);
        sentAt.set(p, performance.now());
        p.send({ type: 'answer', questionId, response: anyResponse(p.question.get(position)!) });
      }),
    );
    const lastAnswer = performance.now();
    await until(() => players.every((p) => p.ackAt.has(questionId)), `acks for question ${position}`);
    const ackTimes = players.map((p) => p.ackAt.get(questionId)! - sentAt.get(p)!);
    acks.push(...ackTimes);

    // Everyone answered: the room closes the question at once; reveal and result at every player.
    await until(() => players.every((p) => p.revealAt.has(position) && p.results > position), `reveal of question ${position}`);
    const revealTimes = players.map((p) => p.revealAt.get(position)! - lastAnswer);
    reveals.push(...revealTimes);
    perQuestion.push({ position, type: players[0]!.question.get(position)!.type, broadcast: stats(reach), ack: stats(ackTimes), revealAfterLastAnswer: stats(revealTimes) });

    if (position + 1 < total) {
      host.send({ type: 'next' });
      await until(() => host.leaderboards > position && players.every((p) => p.leaderboards > position), `leaderboard after question ${position}`);
    }
  }
  host.send({ type: 'next' });
  await until(() => host.finals > 0 && players.every((p) => p.finals > 0), 'the final podium');

  const errors = [host, ...players].flatMap((c) => c.errors);
  const report = {
    date: new Date().toISOString(),
    machine: { cpus: cpus().length, node: process.version },
    players: PLAYERS,
    questions: total,
    timeLimitSec: TIME_LIMIT,
    answerSpreadMs: SPREAD_MS,
    join: { wallMs: Math.round(joinWallMs), perRequestMs: stats(joinLatencies), concurrency: CONCURRENCY },
    connect: { wallMs: Math.round(connectWallMs), perSocketMs: stats(connectLatencies), concurrency: CONCURRENCY },
    broadcastMs: stats(broadcast),
    ackMs: stats(acks),
    revealAfterLastAnswerMs: stats(reveals),
    perQuestion,
    errors: errors.length,
    errorSamples: errors.slice(0, 5),
  };
  mkdirSync(join(root, 'bench/results'), { recursive: true });
  writeFileSync(join(root, 'bench/results/live.json'), `${JSON.stringify(report, null, 2)}\n`);

  const row = (name: string, s: Stats) => `${name.padEnd(34)} ${String(s.p50).padStart(8)} ${String(s.p95).padStart(8)} ${String(s.max).padStart(8)}   (n=${s.n})`;
  console.log(`\n${'ms'.padEnd(34)} ${'p50'.padStart(8)} ${'p95'.padStart(8)} ${'max'.padStart(8)}`);
  console.log(row('join (HTTP, per request)', report.join.perRequestMs));
  console.log(row('connect (WebSocket → welcome)', report.connect.perSocketMs));
  console.log(row('broadcast (host next → question)', report.broadcastMs));
  console.log(row('answer → ack', report.ackMs));
  console.log(row('last answer → reveal', report.revealAfterLastAnswerMs));
  console.log(`\njoin wall time ${(joinWallMs / 1000).toFixed(2)} s, connect wall time ${(connectWallMs / 1000).toFixed(2)} s, errors ${errors.length}`);
  console.log('written to bench/results/live.json');
}

main()
  .then(async () => {
    clearTimeout(watchdog);
    await cleanup();
    process.exit(0);
  })
  .catch(async (err: unknown) => {
    await fail(err instanceof Error ? (err.stack ?? err.message) : String(err));
  });
