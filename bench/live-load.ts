/**
 * Load test of the live game: one host and N players through a whole game, against servers this
 * script starts and stops itself, on 127.0.0.1 only, one after the other:
 * - `wrangler`: `wrangler dev`, the server `npm start` runs (workerd behind wrangler's proxy);
 * - `miniflare`: the same Worker in workerd through Miniflare's API, nothing in front
 *   (test/support/miniflare-server.ts);
 * and on each, first a trivial baseline (test/support/baseline-server.ts: a join that stores
 * nothing, and a bare Durable Object that welcomes every socket, sends one constant frame to every
 * socket and acks every answer), joined and measured by the same code as the game. Before them, the
 * same baseline in a Node process of its own with everything in memory (node:http and `ws`, as
 * in-memory quiz servers are built): the figures this client and machine reach without workerd.
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
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import {
  baselineQuestion,
  startMiniflareBaseline,
  startNodeBaseline,
  startWranglerBaseline,
  type BaselineServer,
} from '../test/support/baseline-server';
import { LocalServer, stopAll } from '../test/support/local-server';
import { MiniflareServer } from '../test/support/miniflare-server';
import { commandName, cpuMs, ROOT } from '../test/support/process';
import { stats as allStats, type Stats as AllStats } from '../test/support/stats';
import { option, pool, sleep } from '../test/support/util';
import { answerRound, broadcastRound, Clients, joinPlayer, rssBytes, until, type Client } from './live-game';
import { api } from './load';

// Options --------------------------------------------------------------------------------------

// A session holds at most 1000 students (`maxPlayers` of POST /api/sessions).
const PLAYERS = option('players', 500, 1, 1000);
const QUESTIONS = option('questions', 5, 1, 20);
const BASELINE_ROUNDS = option('baseline-rounds', 20, 1, 200);
const TIME_LIMIT = option('time-limit', 30, 5, 600);
const SPREAD_MS = option('spread-ms', 1000, 0, 20_000);
const PORT = option('port', 8791, 1024, 65535);
const TIMEOUT_S = option('timeout-s', 900, 30, 3600);
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

const clients = new Clients((why) => void fail(why));
/** Stops the server being measured now (the baseline's or ours). */
let stopServer: (() => Promise<void>) | null = null;
let cleaning: Promise<void> | null = null;

function closeSockets(): void {
  clients.close();
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

// Statistics ---------------------------------------------------------------------------------

/** The figures of bench/results/live.json: those of test/support/stats.ts but p99 (the file's shape, which bench/run.ts and the docs read). */
type Stats = Omit<AllStats, 'p99'>;

function stats(values: number[]): Stats {
  const { p99: _p99, ...rest } = allStats(values);
  return rest;
}

// Rounds -------------------------------------------------------------------------------------

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
  join: ReturnType<typeof joinFigures>;
}

/** The host's command → question at every player. */
const broadcast = (host: Client, players: Client[], position: number) =>
  broadcastRound(players, position, () => host.send({ type: position === 0 ? 'start' : 'next' }));

/** Every player answers within the spread; in one room every answer must be acked. */
async function answers(players: Client[], position: number) {
  const round = await answerRound(players, position, SPREAD_MS);
  if (round.acked < round.sent)
    await fail(
      `question ${position}: ${round.sent - round.acked} of ${round.sent} answers not acked (${round.refused} refused)`,
    );
  return round;
}

/** What a class joining measured: every player's HTTP join and socket, and the wall time until the host saw them all. */
interface ClassJoin {
  players: Client[];
  /** From the first player's join to the host's `player` message for the last, summed over the two halves. */
  wallMs: number;
  joinMs: number[];
  connectMs: number[];
  ticketsFromJoin: number;
  /** CPU time of the server's processes over the two halves (outside the pauses between them). */
  cpuMs: number;
  /** Resident memory of the server's workerd processes before, halfway and after. */
  rss: [number, number, number];
}

/**
 * The class joins session `code` as devices do, JOIN_CONCURRENCY at a time: each player's HTTP join,
 * then their socket with the join's ticket, until its welcome. In two halves, with the memory read
 * between them (outside the wall time): the second half's growth per player leaves out what the
 * first players cost once (caches filling, heaps growing).
 */
async function joinClass(base: string, code: string, host: Client, workerdPids: () => number[]): Promise<ClassJoin> {
  const result: ClassJoin = {
    players: [],
    wallMs: 0,
    joinMs: [],
    connectMs: [],
    ticketsFromJoin: 0,
    cpuMs: 0,
    rss: [0, 0, 0],
  };
  const joinOne = async (nickname: string) => {
    const joined = await joinPlayer(clients, base, code, nickname);
    result.joinMs.push(joined.joinMs);
    result.connectMs.push(joined.connectMs);
    if (joined.ticket) result.ticketsFromJoin++;
    return joined.client;
  };
  const nicknames = Array.from({ length: PLAYERS }, (_, i) => `p${String(i + 1).padStart(4, '0')}`);
  const half = Math.floor(PLAYERS / 2);
  const joinPart = async (names: string[], upTo: number) => {
    const start = performance.now();
    const cpu = cpuMs(workerdPids());
    result.players.push(...(await pool(names, JOIN_CONCURRENCY, joinOne)));
    await until(() => host.players >= upTo, 'the host to see every player');
    result.wallMs += performance.now() - start;
    result.cpuMs += cpuMs(workerdPids()) - cpu;
    await sleep(1000);
  };
  result.rss[0] = rssBytes(workerdPids());
  await joinPart(nicknames.slice(0, half), half);
  result.rss[1] = rssBytes(workerdPids());
  await joinPart(nicknames.slice(half), PLAYERS);
  result.rss[2] = rssBytes(workerdPids());
  return result;
}

/** A class join's figures as bench/results/live.json holds them. */
const joinFigures = (j: ClassJoin) => ({
  wallMs: Math.round(j.wallMs),
  perRequestMs: stats(j.joinMs),
  /** From the join's reply to the socket's welcome. */
  connectMs: stats(j.connectMs),
  concurrency: JOIN_CONCURRENCY,
  ticketsFromJoin: j.ticketsFromJoin,
  /** The server's CPU time per player joined (HTTP join and socket). */
  cpuMsPerPlayer: Math.round((j.cpuMs / PLAYERS) * 100) / 100,
});

// The baseline ---------------------------------------------------------------------------------

const startBaseline: Record<Kind | 'node', (port: number) => Promise<BaselineServer>> = {
  wrangler: startWranglerBaseline,
  miniflare: startMiniflareBaseline,
  node: startNodeBaseline,
};

async function runBaseline(kind: Kind | 'node'): Promise<Rounds> {
  const started = performance.now();
  const server = await startBaseline[kind](PORT);
  stopServer = () => server.stop();
  console.log(`[${kind}] baseline ready in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  const ws = server.base.replace(/^http/, 'ws');
  const host = await clients.open(server.base, `${ws}/ws?role=host`);
  await sleep(1000);
  const joined = await joinClass(server.base, 'BASE01', host, () => server.workerdPids());
  const { players } = joined;
  console.log(
    `[${kind}] baseline: ${PLAYERS} players joined (trivial join + socket) in ${(joined.wallMs / 1000).toFixed(2)} s`,
  );
  const reached: number[] = [];
  const last: number[] = [];
  const acks: number[] = [];
  for (let round = 0; round < BASELINE_ROUNDS; round++) {
    const reach = await broadcast(host, players, round);
    reached.push(...reach);
    last.push(Math.max(...reach));
    // The baseline's question has one id in every round.
    for (const p of players) p.ackAt.clear();
    acks.push(...(await answers(players, round)).ackMs);
  }
  closeSockets();
  await server.stop();
  stopServer = null;
  return {
    broadcastMs: stats(reached),
    broadcastLastMs: stats(last),
    ackMs: stats(acks),
    questionChars: JSON.stringify(baselineQuestion(0)).length,
    /** Resident memory of its processes per open player socket (workerd: a bare hibernatable WebSocket). */
    memoryPerSocketBytes: Math.round((joined.rss[2] - joined.rss[0]) / PLAYERS),
    join: joinFigures(joined),
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

async function runGame(kind: Kind) {
  const bootStart = performance.now();
  const server = await startGameServer(kind);
  const { base } = server;
  console.log(`[${kind}] server ready in ${((performance.now() - bootStart) / 1000).toFixed(1)} s`);

  const session = await api<{ id: string; code: string; teacherKey: string; questionCount: number }>(
    base,
    '/api/sessions',
    {
      body: {
        title: 'Load test',
        count: QUESTIONS,
        timeLimitSec: TIME_LIMIT,
        mode: 'live',
        maxPlayers: PLAYERS,
        seatsPerNetwork: PLAYERS,
      },
    },
  );

  // The projector first (as in class), then the room's memory before anyone joins.
  const host = await clients.open(base, { sessionId: session.id, teacherKey: session.teacherKey, screen: 'projector' });
  await until(() => host.welcomed, 'the host welcome');
  await sleep(1000);
  const joined = await joinClass(base, session.code, host, server.workerdPids);
  const { players } = joined;
  const [rssBefore, rssMid, rssAfter] = joined.rss;
  console.log(
    `[${kind}] ${PLAYERS} players joined (HTTP join + socket) in ${(joined.wallMs / 1000).toFixed(2)} s` +
      ` (tickets from the join: ${joined.ticketsFromJoin})`,
  );

  const reached: number[] = [];
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
    const reach = await broadcast(host, players, position);
    reached.push(...reach);
    broadcastLast.push(Math.max(...reach));
    questionChars = Math.max(questionChars, players[0]!.questionChars);
    const { ackMs, lastAnswer } = await answers(players, position);
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
  await until(() => host.final !== null && players.every((p) => p.final !== null), 'the final podium');
  const errors = [host, ...players].flatMap((c) => c.errors);
  closeSockets();
  await stopServer?.();
  stopServer = null;

  return {
    questions: total,
    join: joinFigures(joined),
    allJoinedWallMs: Math.round(joined.wallMs),
    broadcastMs: stats(reached),
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
      marginalPerPlayerBytes: Math.round((rssAfter - rssMid) / (PLAYERS - Math.floor(PLAYERS / 2))),
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
  const node = await runBaseline('node');
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
    nodeBaseline: node,
  };
  mkdirSync(join(ROOT, 'bench/results'), { recursive: true });
  writeFileSync(join(ROOT, 'bench/results/live.json'), `${JSON.stringify(report, null, 2)}\n`);

  // Side by side: the Node baseline, then per server the baseline's figure, ours, and ours ÷ baseline.
  const columns = ['node base', ...SERVERS.flatMap((k) => [`${k} base`, `${k} ours`, 'ratio'])];
  const cell = (s: string | number) => String(s).padStart(15);
  console.log(`\n${'ms (p50 / p95)'.padEnd(36)}${columns.map(cell).join('')}`);
  const pair = (s: Stats) => `${s.p50} / ${s.p95}`;
  /** A row: the Node baseline's figure, then per server the baseline's, ours, and ours ÷ baseline (by `size`). */
  const row = <T>(name: string, pick: (r: Rounds | Game) => T, show: (v: T) => string, size: (v: T) => number) => {
    const cells = [
      show(pick(node)),
      ...SERVERS.flatMap((k) => {
        const b = pick(results[k]!.baseline);
        const o = pick(results[k]!.game);
        return [show(b), show(o), `×${(size(o) / size(b)).toFixed(1)}`];
      }),
    ];
    console.log(`${name.padEnd(36)}${cells.map(cell).join('')}`);
  };
  const line = (name: string, pick: (r: Rounds | Game) => Stats) => row(name, pick, pair, (s) => s.p95);
  line('command → question, every player', (r) => r.broadcastMs);
  line('command → question, last player', (r) => r.broadcastLastMs);
  line('answer → ack', (r) => r.ackMs);
  const gameLine = (name: string, value: (g: Game) => string) =>
    console.log(
      `${name.padEnd(36)}${['', ...SERVERS.flatMap((k) => ['', value(results[k]!.game), ''])].map(cell).join('')}`,
    );
  gameLine('last answer → reveal', (g) => pair(g.revealAfterLastAnswerMs));
  line('join (HTTP, per request)', (r) => r.join.perRequestMs);
  line('connect (socket → welcome)', (r) => r.join.connectMs);
  row(
    'all joined (join + socket), s',
    (r) => r.join.wallMs,
    (ms) => (ms / 1000).toFixed(2),
    (ms) => ms,
  );
  row(
    'server CPU per player joined, ms',
    (r) => r.join.cpuMsPerPlayer,
    String,
    (ms) => ms,
  );
  gameLine('memory per player, bytes', (g) => String(g.memory.perPlayerBytes));
  gameLine('  second half of the class only', (g) => String(g.memory.marginalPerPlayerBytes));
  console.log(
    `${'baseline memory per socket, bytes'.padEnd(36)}${[
      String(node.memoryPerSocketBytes),
      ...SERVERS.flatMap((k) => [String(results[k]!.baseline.memoryPerSocketBytes), '', '']),
    ]
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
