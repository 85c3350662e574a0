/**
 * Load test of the live game: one host and N players through a whole game, against servers this
 * script starts and stops itself, on 127.0.0.1 only, one after the other:
 * - `wrangler`: `wrangler dev`, the server `npm start` runs (workerd behind wrangler's proxy);
 * - `miniflare`: the same Worker in workerd through Miniflare's API, nothing in front
 *   (test/support/miniflare-server.ts);
 * and on each, first a trivial baseline (test/support/baseline-server.ts: a bare Durable Object
 * that sends one constant frame to every socket and acks every answer), measured the same way.
 *
 *   npx tsx bench/live-load.ts --players 500 [--server wrangler|miniflare|both] [--questions 5]
 *                              [--baseline-rounds 20] [--time-limit 30] [--spread-ms 1000]
 *                              [--port 8791] [--timeout-s 900] [--worker <git rev>]
 *
 * The game: fresh D1 (migrations + seed) in a temporary directory, the deploy bundle
 * (`wrangler deploy --dry-run`, so that edits to the sources cannot reload it), a live session over
 * HTTP, the projector's socket, then each player joins over HTTP and opens their socket (with the
 * ticket the join answered, or one asked for), then for every question: the host's `start`/`next`
 * → every player's `question` (broadcast latency), each player answers after a random delay within
 * `--spread-ms` (answer → ack latency), everyone answered → reveal and result at every player,
 * `next` → leaderboard, and after the last question `next` → final. The workerd processes' resident
 * memory before the players join, halfway and once all are connected gives the bytes per player.
 *
 * `--worker <rev>` serves that commit's Worker instead of the working tree's (before/after figures).
 *
 * Prints the figures of every server side by side and writes `bench/results/live.json` (the top
 * level holds the first server's game figures, as bench/run.ts reads them; `servers` holds all).
 *
 * Latencies are measured in this one Node process, which also drives all N sockets: its own event
 * loop is part of every figure, which the baseline's figures show. Frames are stamped on arrival
 * and parsed after the pending socket reads (see `deferParse` in test/support/live-socket.ts).
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import {
  baselineQuestion,
  startMiniflareBaseline,
  startWranglerBaseline,
  type BaselineServer,
} from '../test/support/baseline-server';
import { type LiveCredential, LiveSocket } from '../test/support/live-socket';
import { LocalServer, stopAll } from '../test/support/local-server';
import { MiniflareServer } from '../test/support/miniflare-server';
import { commandName, ROOT } from '../test/support/process';
import { stats as allStats, type Stats as AllStats } from '../test/support/stats';
import { anyResponse, option, pool, sleep, type StudentQuestion } from '../test/support/util';
import type { ClientMessage, ServerMessage } from '../worker/contract';

// Options --------------------------------------------------------------------------------------

// A session holds at most 1000 students (`maxPlayers` of POST /api/sessions).
const PLAYERS = option('players', 500, 1, 1000);
const QUESTIONS = option('questions', 5, 1, 20);
const BASELINE_ROUNDS = option('baseline-rounds', 20, 1, 200);
const TIME_LIMIT = option('time-limit', 30, 5, 600);
const SPREAD_MS = option('spread-ms', 1000, 0, 20_000);
const PORT = option('port', 8791, 1024, 65535);
const TIMEOUT_S = option('timeout-s', 900, 30, 3600);
/** Parallel WebSocket opens of the baseline (a classroom's devices do not all connect in the same millisecond either). */
const CONCURRENCY = 25;
/**
 * Joins in flight at once: a class joining together. Kept at 100, below the point where wrangler
 * dev's proxy starts failing requests that wait together (see bench/run.ts, BURST_IN_FLIGHT).
 */
const JOIN_CONCURRENCY = option('join-concurrency', 100, 1, 500);

/** A commit whose Worker to serve (built from `git archive`), or the working tree's. */
const WORKER_REV = (() => {
  const argv = process.argv.slice(2);
  const i = argv.indexOf('--worker');
  return i >= 0 ? argv[i + 1] : undefined;
})();
const WORKER = WORKER_REV ? { rev: WORKER_REV } : undefined;

type Kind = 'wrangler' | 'miniflare';
const SERVERS: Kind[] = (() => {
  const argv = process.argv.slice(2);
  const i = argv.indexOf('--server');
  const value = i >= 0 ? argv[i + 1] : 'both';
  if (value === 'both') return ['wrangler', 'miniflare'];
  if (value === 'wrangler' || value === 'miniflare') return [value];
  console.error('--server must be wrangler, miniflare or both');
  process.exit(2);
})();

// Process management ---------------------------------------------------------------------------

const sockets: LiveSocket[] = [];
/** Stops the server being measured now (the baseline's or ours). */
let stopServer: (() => Promise<void>) | null = null;
let cleaning: Promise<void> | null = null;

function closeSockets(): void {
  for (const socket of sockets.splice(0)) socket.close();
}

/** Stops everything this script started: sockets, the servers (and their setup commands), their temporary state. */
function cleanup(): Promise<void> {
  cleaning ??= (async () => {
    closeSockets();
    await stopServer?.().catch(() => undefined);
    await stopAll();
  })();
  return cleaning;
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

/** Polls `check` until it holds; fails after `ms`. */
async function until(check: () => boolean, what: string, ms = 30_000, detail?: () => string): Promise<void> {
  const deadline = performance.now() + ms;
  while (!check()) {
    if (performance.now() > deadline) await fail(`timed out waiting for ${what}${detail ? ` (${detail()})` : ''}`);
    await sleep(2);
  }
}

// Statistics ---------------------------------------------------------------------------------

/** The figures of bench/results/live.json: those of test/support/stats.ts but p99 (the file's shape, which bench/run.ts and the docs read). */
type Stats = Omit<AllStats, 'p99'>;

function stats(values: number[]): Stats {
  const { p99: _p99, ...rest } = allStats(values);
  return rest;
}

/** Resident memory of `pids` in bytes (VmRSS from /proc). */
function rssBytes(pids: number[]): number {
  let kb = 0;
  for (const pid of pids) {
    try {
      const status = readFileSync(`/proc/${pid}/status`, 'utf8');
      kb += Number(/^VmRSS:\s+(\d+) kB/m.exec(status)?.[1] ?? 0);
    } catch {
      // Gone.
    }
  }
  return kb * 1024;
}

// Clients ------------------------------------------------------------------------------------

async function post<T>(base: string, path: string, body: unknown): Promise<T> {
  const res = await fetch(`${base}${path}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) await fail(`POST ${path} → ${res.status} ${text}`);
  return JSON.parse(text) as T;
}

/** One live socket with counters the game loop polls, each event stamped with its arrival time. */
class Client {
  socket!: LiveSocket;
  welcomed = false;
  /** Receive time of the `question` message per position. */
  questionAt = new Map<number, number>();
  question = new Map<number, StudentQuestion>();
  /** Length of the JSON text of the last question received (re-serialized: the frame's size within a few bytes). */
  questionChars = 0;
  ackAt = new Map<string, number>();
  revealAt = new Map<number, number>();
  results = 0;
  leaderboards = 0;
  finals = 0;
  players = 0;
  errors: ServerMessage[] = [];

  /**
   * Opens a live socket and waits for the upgrade: with a ticket for the host or a player (asked
   * for here), or at a `ws://` address that needs none (a ticket already in it, or the baseline).
   */
  static async open(base: string, who: LiveCredential | string): Promise<Client> {
    const client = new Client();
    const options = { onMessage: (msg: ServerMessage, at: number) => client.record(msg, at), deferParse: true };
    client.socket =
      typeof who === 'string' ? await LiveSocket.openUrl(who, options) : await LiveSocket.open(base, who, options);
    sockets.push(client.socket);
    client.socket.ws.on('error', (err) => void fail(`socket error: ${err.message}`));
    return client;
  }

  private record(msg: ServerMessage, now: number) {
    switch (msg.type) {
      case 'welcome':
        this.welcomed = true;
        break;
      case 'question':
        this.questionAt.set(msg.position, now);
        this.question.set(msg.position, msg.question);
        this.questionChars = JSON.stringify(msg).length;
        break;
      case 'ack':
        this.ackAt.set(msg.questionId, now);
        break;
      case 'reveal':
        this.revealAt.set(msg.position, now);
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
  }

  send(msg: ClientMessage) {
    this.socket.send(msg);
  }
}

/** What the broadcast and answer rounds measured, on the baseline or in the game. */
interface Rounds {
  /** Host command → question, every player of every round. */
  broadcastMs: Stats;
  /** Host command → question at the last player, one value per round. */
  broadcastLastMs: Stats;
  ackMs: Stats;
  /** Characters of a question frame as the players received it. */
  questionChars: number;
  memoryPerSocketBytes?: number;
}

/** The host's command → question at every player of `players`: each player's time, and the last one's. */
async function broadcastRound(host: Client, players: Client[], position: number): Promise<number[]> {
  const sent = performance.now();
  host.send({ type: position === 0 ? 'start' : 'next' });
  await until(
    () => players.every((p) => p.questionAt.has(position)),
    `question ${position} at every player`,
    30_000,
    () => {
      const got = players.filter((p) => p.questionAt.has(position)).length;
      return `${got} of ${players.length} got it; ${players.filter((p) => p.socket.closed).length} sockets closed`;
    },
  );
  return players.map((p) => p.questionAt.get(position)! - sent);
}

/** Every player answers question `position` within the spread; answer → ack per player. Resolves when the last answer is sent. */
async function answerRound(players: Client[], position: number): Promise<{ ackMs: number[]; lastAnswer: number }> {
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
  return { ackMs: players.map((p) => p.ackAt.get(questionId)! - sentAt.get(p)!), lastAnswer };
}

// The baseline ---------------------------------------------------------------------------------

async function runBaseline(kind: Kind): Promise<Rounds> {
  const started = performance.now();
  const server: BaselineServer =
    kind === 'wrangler' ? await startWranglerBaseline(PORT) : await startMiniflareBaseline(PORT);
  stopServer = () => server.stop();
  console.log(`[${kind}] baseline ready in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  const ws = server.base.replace(/^http/, 'ws');
  const host = await Client.open(server.base, `${ws}/ws?role=host`);
  await sleep(1000);
  const rssBefore = rssBytes(server.workerdPids());
  const players = await pool(Array.from({ length: PLAYERS }), CONCURRENCY, () =>
    Client.open(server.base, `${ws}/ws?role=player`),
  );
  await sleep(1000);
  const rssAfter = rssBytes(server.workerdPids());
  const broadcast: number[] = [];
  const last: number[] = [];
  const acks: number[] = [];
  for (let round = 0; round < BASELINE_ROUNDS; round++) {
    const reach = await broadcastRound(host, players, round);
    broadcast.push(...reach);
    last.push(Math.max(...reach));
    for (const p of players) p.ackAt.clear();
    acks.push(...(await answerRound(players, round)).ackMs);
  }
  closeSockets();
  await server.stop();
  stopServer = null;
  return {
    broadcastMs: stats(broadcast),
    broadcastLastMs: stats(last),
    ackMs: stats(acks),
    questionChars: JSON.stringify(baselineQuestion(0)).length,
    /** Resident memory of its workerd processes per open player socket (a bare hibernatable WebSocket). */
    memoryPerSocketBytes: Math.round((rssAfter - rssBefore) / PLAYERS),
  };
}

// The game -------------------------------------------------------------------------------------

/** The server of the game: wrangler dev or Miniflare, on PORT, with the workerd processes to weigh. */
async function startGameServer(kind: Kind): Promise<{ base: string; workerdPids: () => number[] }> {
  if (kind === 'wrangler') {
    // A fresh D1 (migrations + seed) and `wrangler dev` serving the deploy bundle (built once,
    // offline) rather than the sources: `wrangler dev` reloads the Worker, dropping every socket,
    // whenever a watched file changes, and others may be editing. Its warnings are forwarded.
    const server = await LocalServer.create({ label: 'live-load', port: PORT, verbose: true, worker: WORKER });
    server.onUnexpectedExit = (why) => void fail(why);
    stopServer = () => server.stop();
    await server.start();
    return { base: server.base, workerdPids: () => server.pids().filter((pid) => commandName(pid) === 'workerd') };
  }
  const server = await MiniflareServer.create({ label: 'live-load-mf', port: PORT, verbose: true, worker: WORKER });
  stopServer = () => server.stop();
  await server.start();
  return { base: server.base, workerdPids: () => (server.pid ? [server.pid] : []) };
}

/** What the join answers: the device token and, from servers that issue it there, the socket's ticket. */
interface Joined {
  token: string;
  live?: { ticket?: string; url?: string };
}

async function runGame(kind: Kind) {
  const bootStart = performance.now();
  const server = await startGameServer(kind);
  const { base } = server;
  console.log(`[${kind}] server ready in ${((performance.now() - bootStart) / 1000).toFixed(1)} s`);

  const session = await post<{ id: string; code: string; teacherKey: string; questionCount: number }>(
    base,
    '/api/sessions',
    {
      title: 'Load test',
      count: QUESTIONS,
      timeLimitSec: TIME_LIMIT,
      mode: 'live',
      maxPlayers: PLAYERS,
      seatsPerNetwork: PLAYERS,
    },
  );

  // The projector first (as in class), then the room's memory before anyone joins.
  const host = await Client.open(base, { sessionId: session.id, teacherKey: session.teacherKey, screen: 'projector' });
  await until(() => host.welcomed, 'the host welcome');
  await sleep(1000);
  const rssBefore = rssBytes(server.workerdPids());

  // Each player: the HTTP join, then their socket (with the join's ticket when it gives one).
  const joinLatencies: number[] = [];
  const connectLatencies: number[] = [];
  let ticketsFromJoin = 0;
  const wsBase = base.replace(/^http/, 'ws');
  const joinOne = async (nickname: string) => {
    const t = performance.now();
    const joined = await post<Joined>(base, `/api/codes/${session.code}/participants`, { nickname });
    const t2 = performance.now();
    joinLatencies.push(t2 - t);
    const { live } = joined;
    const url = live?.url
      ? `${wsBase}${live.url}`
      : live?.ticket
        ? `${wsBase}/api/live?ticket=${encodeURIComponent(live.ticket)}`
        : null;
    if (url) ticketsFromJoin++;
    const client = await Client.open(base, url ?? { token: joined.token });
    await until(() => client.welcomed, 'a player welcome');
    connectLatencies.push(performance.now() - t2);
    return client;
  };
  // In two halves, with the memory read between them (outside the wall time): the second half's
  // growth per player leaves out what the first players cost once (caches filling, heaps growing).
  const nicknames = Array.from({ length: PLAYERS }, (_, i) => `p${String(i + 1).padStart(4, '0')}`);
  const half = Math.floor(PLAYERS / 2);
  let allJoinedWallMs = 0;
  const joinPart = async (names: string[], upTo: number) => {
    const start = performance.now();
    const clients = await pool(names, JOIN_CONCURRENCY, joinOne);
    await until(() => host.players >= upTo, 'the host to see every player');
    allJoinedWallMs += performance.now() - start;
    await sleep(1000);
    return clients;
  };
  const firstHalf = await joinPart(nicknames.slice(0, half), half);
  const rssMid = rssBytes(server.workerdPids());
  const players = [...firstHalf, ...(await joinPart(nicknames.slice(half), PLAYERS))];
  const rssAfter = rssBytes(server.workerdPids());
  console.log(
    `[${kind}] ${PLAYERS} players joined (HTTP join + socket) in ${(allJoinedWallMs / 1000).toFixed(2)} s` +
      ` (tickets from the join: ${ticketsFromJoin})`,
  );

  const broadcast: number[] = [];
  const broadcastLast: number[] = [];
  const perQuestion: {
    position: number;
    type: string;
    broadcast: Stats;
    ack: Stats;
    revealAfterLastAnswer: Stats;
  }[] = [];
  const acks: number[] = [];
  const reveals: number[] = [];
  const total = session.questionCount;
  let questionChars = 0;
  for (let position = 0; position < total; position++) {
    const reach = await broadcastRound(host, players, position);
    broadcast.push(...reach);
    broadcastLast.push(Math.max(...reach));
    questionChars = Math.max(questionChars, players[0]!.questionChars);
    const { ackMs, lastAnswer } = await answerRound(players, position);
    acks.push(...ackMs);

    // Everyone answered: the room closes the question at once; reveal and result at every player.
    await until(
      () => players.every((p) => p.revealAt.has(position) && p.results > position),
      `reveal of question ${position}`,
    );
    const revealTimes = players.map((p) => p.revealAt.get(position)! - lastAnswer);
    reveals.push(...revealTimes);
    perQuestion.push({
      position,
      type: players[0]!.question.get(position)!.type,
      broadcast: stats(reach),
      ack: stats(ackMs),
      revealAfterLastAnswer: stats(revealTimes),
    });

    if (position + 1 < total) {
      host.send({ type: 'next' });
      await until(
        () => host.leaderboards > position && players.every((p) => p.leaderboards > position),
        `leaderboard after question ${position}`,
      );
    }
  }
  host.send({ type: 'next' });
  await until(() => host.finals > 0 && players.every((p) => p.finals > 0), 'the final podium');
  const errors = [host, ...players].flatMap((c) => c.errors);
  closeSockets();
  await stopServer?.();
  stopServer = null;

  return {
    questions: total,
    join: {
      wallMs: Math.round(allJoinedWallMs),
      perRequestMs: stats(joinLatencies),
      concurrency: JOIN_CONCURRENCY,
      ticketsFromJoin,
    },
    connect: { perSocketMs: stats(connectLatencies) },
    allJoinedWallMs: Math.round(allJoinedWallMs),
    broadcastMs: stats(broadcast),
    broadcastLastMs: stats(broadcastLast),
    ackMs: stats(acks),
    revealAfterLastAnswerMs: stats(reveals),
    questionChars,
    memory: {
      what: 'resident memory (VmRSS) of the workerd processes: Worker, LiveRoom, D1 (and wrangler dev: its proxy)',
      beforeBytes: rssBefore,
      halfBytes: rssMid,
      afterBytes: rssAfter,
      perPlayerBytes: Math.round((rssAfter - rssBefore) / PLAYERS),
      /** Growth per player over the second half of the class. */
      marginalPerPlayerBytes: Math.round((rssAfter - rssMid) / (PLAYERS - half)),
    },
    perQuestion,
    errors: errors.length,
    errorSamples: errors.slice(0, 5),
  };
}

// The run --------------------------------------------------------------------------------------

type Game = Awaited<ReturnType<typeof runGame>>;

async function main() {
  console.log(
    `live-load: ${PLAYERS} players, ${QUESTIONS} questions, baseline ${BASELINE_ROUNDS} rounds, servers ${SERVERS.join(' + ')}, ` +
      `${cpus().length} CPUs, Node ${process.version}, Worker of ${WORKER_REV ?? 'the working tree'}`,
  );
  const results: Partial<Record<Kind, { baseline: Rounds; game: Game }>> = {};
  for (const kind of SERVERS) {
    const baseline = await runBaseline(kind);
    const game = await runGame(kind);
    results[kind] = { baseline, game };
  }

  const first = results[SERVERS[0]!]!.game;
  const report = {
    date: new Date().toISOString(),
    machine: { cpus: cpus().length, node: process.version },
    players: PLAYERS,
    timeLimitSec: TIME_LIMIT,
    answerSpreadMs: SPREAD_MS,
    server: SERVERS[0],
    worker: WORKER_REV ?? 'working tree',
    ...first,
    servers: results,
  };
  mkdirSync(join(ROOT, 'bench/results'), { recursive: true });
  writeFileSync(join(ROOT, 'bench/results/live.json'), `${JSON.stringify(report, null, 2)}\n`);

  // Side by side: per server, the baseline's figure, ours, and ours ÷ baseline.
  const columns = SERVERS.flatMap((k) => [`${k} base`, `${k} ours`, 'ratio']);
  const cell = (s: string | number) => String(s).padStart(15);
  console.log(`\n${'ms (p50 / p95)'.padEnd(36)}${columns.map(cell).join('')}`);
  const pair = (s: Stats) => `${s.p50} / ${s.p95}`;
  const line = (name: string, pick: (r: Rounds | Game) => Stats) => {
    const cells = SERVERS.flatMap((k) => {
      const { baseline, game } = results[k]!;
      const b = pick(baseline);
      const o = pick(game);
      return [pair(b), pair(o), `×${(o.p95 / b.p95).toFixed(1)}`];
    });
    console.log(`${name.padEnd(36)}${cells.map(cell).join('')}`);
  };
  line('command → question, every player', (r) => r.broadcastMs);
  line('command → question, last player', (r) => r.broadcastLastMs);
  line('answer → ack', (r) => r.ackMs);
  const gameLine = (name: string, value: (g: Game) => string) =>
    console.log(
      `${name.padEnd(36)}${SERVERS.flatMap((k) => ['', value(results[k]!.game), ''])
        .map(cell)
        .join('')}`,
    );
  gameLine('last answer → reveal', (g) => pair(g.revealAfterLastAnswerMs));
  gameLine('join (HTTP, per request)', (g) => pair(g.join.perRequestMs));
  gameLine('connect (socket → welcome)', (g) => pair(g.connect.perSocketMs));
  gameLine('all joined (join + socket), s', (g) => (g.allJoinedWallMs / 1000).toFixed(2));
  gameLine('memory per player, bytes', (g) => String(g.memory.perPlayerBytes));
  gameLine('  second half of the class only', (g) => String(g.memory.marginalPerPlayerBytes));
  console.log(
    `${'baseline memory per socket, bytes'.padEnd(36)}${SERVERS.flatMap((k) => [
      String(results[k]!.baseline.memoryPerSocketBytes),
      '',
      '',
    ])
      .map(cell)
      .join('')}`,
  );
  gameLine('question frame, chars', (g) => String(g.questionChars));
  gameLine('errors', (g) => String(g.errors));
  console.log(`baseline question frame: ${JSON.stringify(baselineQuestion(0)).length} chars`);
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
