/**
 * Load test of the live game: one host and N players through a whole game, against a
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
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { type LiveCredential, LiveSocket } from '../test/support/live-socket';
import { LocalServer, stopAll } from '../test/support/local-server';
import { ROOT } from '../test/support/process';
import { stats as allStats, type Stats as AllStats } from '../test/support/stats';
import { anyResponse, option, pool, sleep, type StudentQuestion } from '../test/support/util';
import type { ClientMessage, ServerMessage } from '../worker/contract';

// Options --------------------------------------------------------------------------------------

// A session holds at most 1000 students (`maxPlayers` of POST /api/sessions).
const PLAYERS = option('players', 500, 1, 1000);
const QUESTIONS = option('questions', 5, 1, 20);
const TIME_LIMIT = option('time-limit', 30, 5, 600);
const SPREAD_MS = option('spread-ms', 1000, 0, 20_000);
const PORT = option('port', 8791, 1024, 65535);
const TIMEOUT_S = option('timeout-s', 300, 30, 1800);
const BASE = `http://127.0.0.1:${PORT}`;
/** Parallel HTTP joins and WebSocket opens (a classroom's devices do not all connect in the same millisecond either). */
const CONCURRENCY = 25;

// Process management ---------------------------------------------------------------------------

const sockets: LiveSocket[] = [];
let cleaning: Promise<void> | null = null;

/** Stops everything this script started: sockets, the server (test/support/local-server.ts) and its setup commands, the temporary D1. */
function cleanup(): Promise<void> {
  cleaning ??= (async () => {
    for (const socket of sockets) socket.close();
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

// Clients ------------------------------------------------------------------------------------

async function post<T>(path: string, body: unknown): Promise<T> {
  const res = await fetch(`${BASE}${path}`, {
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
  ackAt = new Map<string, number>();
  revealAt = new Map<number, number>();
  results = 0;
  leaderboards = 0;
  finals = 0;
  players = 0;
  errors: ServerMessage[] = [];

  /** Opens the live socket (with a ticket for the host or a player) and waits for the upgrade. */
  static async open(who: LiveCredential): Promise<Client> {
    const client = new Client();
    client.socket = await LiveSocket.open(BASE, who, { onMessage: (msg, at) => client.record(msg, at) });
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

// The run --------------------------------------------------------------------------------------

async function main() {
  console.log(`live-load: ${PLAYERS} players, ${QUESTIONS} questions, ${cpus().length} CPUs, Node ${process.version}`);
  const bootStart = performance.now();
  // A fresh D1 (migrations + seed) and `wrangler dev` serving the deploy bundle (built once,
  // offline) rather than the sources: `wrangler dev` reloads the Worker, dropping every socket,
  // whenever a watched file changes, and others may be editing. Its warnings are forwarded.
  const server = await LocalServer.create({ label: 'live-load', port: PORT, verbose: true });
  server.onUnexpectedExit = (why) => void fail(why);
  await server.start();
  console.log(`server ready in ${((performance.now() - bootStart) / 1000).toFixed(1)} s`);

  const session = await post<{ id: string; code: string; teacherKey: string; questionCount: number }>('/api/sessions', {
    title: 'Load test',
    count: QUESTIONS,
    timeLimitSec: TIME_LIMIT,
    mode: 'live',
    maxPlayers: PLAYERS,
    seatsPerNetwork: PLAYERS,
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
  const host = await Client.open({ sessionId: session.id, teacherKey: session.teacherKey });
  await until(() => host.welcomed, 'the host welcome');
  const connectLatencies: number[] = [];
  const connectStart = performance.now();
  const players = await pool(tokens, CONCURRENCY, async (token) => {
    const t = performance.now();
    const client = await Client.open({ token });
    await until(() => client.welcomed, 'a player welcome');
    connectLatencies.push(performance.now() - t);
    return client;
  });
  await until(() => host.players >= PLAYERS, 'the host to see every player');
  const connectWallMs = performance.now() - connectStart;
  console.log(`opened ${PLAYERS + 1} WebSockets in ${(connectWallMs / 1000).toFixed(2)} s`);

  const broadcast: number[] = [];
  const perQuestion: { position: number; type: string; broadcast: Stats; ack: Stats; revealAfterLastAnswer: Stats }[] =
    [];
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
      () => {
        const got = players.filter((p) => p.questionAt.has(position)).length;
        return `${got} of ${PLAYERS} got it; ${players.filter((p) => p.socket.closed).length} sockets closed`;
      },
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
      ack: stats(ackTimes),
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
  mkdirSync(join(ROOT, 'bench/results'), { recursive: true });
  writeFileSync(join(ROOT, 'bench/results/live.json'), `${JSON.stringify(report, null, 2)}\n`);

  const row = (name: string, s: Stats) =>
    `${name.padEnd(34)} ${String(s.p50).padStart(8)} ${String(s.p95).padStart(8)} ${String(s.max).padStart(8)}   (n=${s.n})`;
  console.log(`\n${'ms'.padEnd(34)} ${'p50'.padStart(8)} ${'p95'.padStart(8)} ${'max'.padStart(8)}`);
  console.log(row('join (HTTP, per request)', report.join.perRequestMs));
  console.log(row('connect (WebSocket → welcome)', report.connect.perSocketMs));
  console.log(row('broadcast (host next → question)', report.broadcastMs));
  console.log(row('answer → ack', report.ackMs));
  console.log(row('last answer → reveal', report.revealAfterLastAnswerMs));
  console.log(
    `\njoin wall time ${(joinWallMs / 1000).toFixed(2)} s, connect wall time ${(connectWallMs / 1000).toFixed(2)} s, errors ${errors.length}`,
  );
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
