/**
 * Scale simulation for docs/scale.md: a contest sharded over several live rooms (one Durable Object
 * each), with a coordinator fanning every command out to all shards at once. Here the coordinator
 * is this script: it sends the hosts' `start`/`next` to every shard in the same tick, so "command →
 * question at every player of every shard" is the fan-out tree's broadcast latency with one level
 * (coordinator → shards → players). Default: 4 shards × 500 players, as this 2-core machine allows.
 *
 *   npx tsx bench/scale-sim.ts [--shards 4] [--players 500] [--questions 3] [--spread-ms 2000] [--port N]
 *
 * Standalone it starts its own server (test/support/local-server.ts); bench/run.ts calls {@link scaleSim} with
 * the server it already runs. Everything is measured in this one Node process, which also drives
 * every socket: its event loop is part of each figure (an upper bound for what the server adds).
 */
import { cpus, loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { type LiveCredential, LiveSocket } from '../test/support/live-socket';
import { api } from './load';
import { stats, type Stats } from '../test/support/stats';
import { anyResponse, pool, sleep, type StudentQuestion } from '../test/support/util';
import type { ClientMessage, ServerMessage } from '../worker/contract';

/** One live socket with counters the simulation polls, each event stamped with its arrival time. */
class Client {
  socket!: LiveSocket;
  welcomed = false;
  players = 0;
  questionAt = new Map<number, number>();
  question = new Map<number, StudentQuestion>();
  ackAt = new Map<string, number>();
  revealAt = new Map<number, number>();
  leaderboards = 0;
  finals = 0;
  errors: ServerMessage[] = [];

  /** Opens the live socket (with a ticket for a host or a player); `clients` gets it even if the upgrade fails. */
  static async open(base: string, who: LiveCredential, clients: Client[]): Promise<Client> {
    const client = new Client();
    clients.push(client);
    client.socket = await LiveSocket.open(base, who, { onMessage: (msg, at) => client.record(msg, at) });
    return client;
  }

  private record(msg: ServerMessage, now: number) {
    if (msg.type === 'welcome') this.welcomed = true;
    else if (msg.type === 'player') this.players++;
    else if (msg.type === 'question') {
      this.questionAt.set(msg.position, now);
      this.question.set(msg.position, msg.question);
    } else if (msg.type === 'ack') this.ackAt.set(msg.questionId, now);
    else if (msg.type === 'reveal') this.revealAt.set(msg.position, now);
    else if (msg.type === 'leaderboard') this.leaderboards++;
    else if (msg.type === 'final') this.finals++;
    else if (msg.type === 'error') this.errors.push(msg);
  }

  send(msg: ClientMessage) {
    this.socket.send(msg);
  }
}

async function until(check: () => boolean, what: string, ms = 60_000): Promise<void> {
  const deadline = performance.now() + ms;
  while (!check()) {
    if (performance.now() > deadline) throw new Error(`scale-sim: timed out waiting for ${what}`);
    await sleep(2);
  }
}

export interface ScaleResult {
  shards: number;
  playersPerShard: number;
  players: number;
  questions: number;
  answerSpreadMs: number;
  join: { wallMs: number; perSecond: number; perRequestMs: Stats };
  connect: { wallMs: number; perSocketMs: Stats };
  /** Coordinator command → `question` at every player of every shard. */
  broadcastMs: Stats;
  /** Per question: when the last of all players across shards had it. */
  broadcastAllMs: number[];
  /** Per shard p95 of the broadcast, to see whether shards keep pace with each other. */
  broadcastP95PerShard: number[];
  ackMs: Stats;
  /** Answers per second the shards took in together while everyone answered within the spread. */
  answersPerSecond: number;
  revealAfterLastAnswerMs: Stats;
  errors: number;
  machine: { cpus: number; loadavg: number[] };
}

export interface ScaleOptions {
  shards?: number;
  players?: number;
  questions?: number;
  spreadMs?: number;
}

/** Runs the simulation against a running server at `base`. */
export async function scaleSim(base: string, o: ScaleOptions = {}): Promise<ScaleResult> {
  const shards = o.shards ?? 4;
  const perShard = o.players ?? 500;
  const questions = o.questions ?? 3;
  const spreadMs = o.spreadMs ?? 2000;
  const clients: Client[] = [];
  try {
    const sessions = await Promise.all(
      Array.from({ length: shards }, (_, s) =>
        api<{ id: string; code: string; teacherKey: string; questionCount: number }>(base, '/api/sessions', {
          body: {
            title: `Contest shard ${s + 1}`,
            count: questions,
            timeLimitSec: 60,
            mode: 'live',
            maxPlayers: Math.max(perShard, 200),
            seatsPerNetwork: Math.max(perShard, 200),
          },
        }),
      ),
    );

    // Joins, all shards at once (one session per shard, as a coordinator would assign them).
    const seats = sessions.flatMap((session, s) =>
      Array.from({ length: perShard }, (_, i) => ({ session, shard: s, nickname: `c${s}-${i}` })),
    );
    const joinTimes: number[] = [];
    const joinStart = performance.now();
    const tokens = await pool(seats, 25, async (seat) => {
      const t = performance.now();
      const joined = await api<{ token: string }>(base, `/api/codes/${seat.session.code}/participants`, {
        body: { nickname: seat.nickname },
      });
      joinTimes.push(performance.now() - t);
      return joined.token;
    });
    const joinWallMs = performance.now() - joinStart;

    const hosts = await Promise.all(
      sessions.map((s) => Client.open(base, { sessionId: s.id, teacherKey: s.teacherKey }, clients)),
    );
    await until(() => hosts.every((h) => h.welcomed), 'the hosts');
    const connectTimes: number[] = [];
    const connectStart = performance.now();
    const players = await pool(seats, 25, async (seat, i) => {
      const t = performance.now();
      const c = await Client.open(base, { token: tokens[i]! }, clients);
      await until(() => c.welcomed, 'a welcome');
      connectTimes.push(performance.now() - t);
      return { client: c, shard: seat.shard };
    });
    await until(() => hosts.every((h) => h.players >= perShard), 'every host to see its players');
    const connectWallMs = performance.now() - connectStart;

    const broadcast: number[] = [];
    const broadcastAll: number[] = [];
    const perShard95: number[][] = Array.from({ length: shards }, () => []);
    const acks: number[] = [];
    const reveals: number[] = [];
    let answersPerSecond = 0;
    for (let position = 0; position < questions; position++) {
      // The coordinator's fan-out: the same command to every shard in one tick.
      const sent = performance.now();
      for (const h of hosts) h.send({ type: position === 0 ? 'start' : 'next' });
      await until(() => players.every((p) => p.client.questionAt.has(position)), `question ${position} everywhere`);
      const reach = players.map((p) => p.client.questionAt.get(position)! - sent);
      broadcast.push(...reach);
      broadcastAll.push(Math.round(Math.max(...reach)));
      players.forEach((p, i) => perShard95[p.shard]!.push(reach[i]!));

      const sentAt = new Map<Client, number>();
      const answerStart = performance.now();
      await Promise.all(
        players.map(async ({ client }) => {
          await sleep(Math.random() * spreadMs);
          const q = client.question.get(position)!;
          sentAt.set(client, performance.now());
          client.send({ type: 'answer', questionId: q.id, response: anyResponse(q) });
        }),
      );
      const lastAnswer = performance.now();
      await until(
        () => players.every((p) => p.client.ackAt.has(p.client.question.get(position)!.id)),
        `acks of question ${position}`,
      );
      const ackTimes = players.map(
        (p) => p.client.ackAt.get(p.client.question.get(position)!.id)! - sentAt.get(p.client)!,
      );
      acks.push(...ackTimes);
      const lastAck = Math.max(...players.map((p) => p.client.ackAt.get(p.client.question.get(position)!.id)!));
      answersPerSecond = Math.max(answersPerSecond, Math.round(players.length / ((lastAck - answerStart) / 1000)));
      await until(() => players.every((p) => p.client.revealAt.has(position)), `reveal of question ${position}`);
      reveals.push(...players.map((p) => p.client.revealAt.get(position)! - lastAnswer));
      if (position + 1 < questions) {
        for (const h of hosts) h.send({ type: 'next' });
        await until(() => hosts.every((h) => h.leaderboards > position), `leaderboard after question ${position}`);
      }
    }
    for (const h of hosts) h.send({ type: 'next' });
    await until(() => hosts.every((h) => h.finals > 0), 'the final');

    return {
      shards,
      playersPerShard: perShard,
      players: players.length,
      questions,
      answerSpreadMs: spreadMs,
      join: {
        wallMs: Math.round(joinWallMs),
        perSecond: Math.round(seats.length / (joinWallMs / 1000)),
        perRequestMs: stats(joinTimes),
      },
      connect: { wallMs: Math.round(connectWallMs), perSocketMs: stats(connectTimes) },
      broadcastMs: stats(broadcast),
      broadcastAllMs: broadcastAll,
      broadcastP95PerShard: perShard95.map((v) => stats(v).p95),
      ackMs: stats(acks),
      answersPerSecond,
      revealAfterLastAnswerMs: stats(reveals),
      errors: clients.reduce((n, c) => n + c.errors.length, 0),
      machine: { cpus: cpus().length, loadavg: loadavg().map((x) => Math.round(x * 100) / 100) },
    };
  } finally {
    for (const c of clients) c.socket?.close();
  }
}

// Standalone: start a server, run, stop.
if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop()!)) {
  const arg = (name: string, fallback: number) => {
    const i = process.argv.indexOf(`--${name}`);
    return i >= 0 ? Number(process.argv[i + 1]) : fallback;
  };
  const { startServer } = await import('../test/support/local-server');
  const server = await startServer({ label: 'scale', port: arg('port', 0) || undefined, web: 'build', verbose: true });
  const stop = async (code: number) => {
    await server.stop();
    process.exit(code);
  };
  process.on('SIGINT', () => void stop(130));
  const watchdog = setTimeout(() => {
    console.error('scale-sim: gave up after 10 minutes');
    void stop(1);
  }, 600_000);
  try {
    const result = await scaleSim(server.base, {
      shards: arg('shards', 4),
      players: arg('players', 500),
      questions: arg('questions', 3),
      spreadMs: arg('spread-ms', 2000),
    });
    console.log(JSON.stringify(result, null, 2));
    clearTimeout(watchdog);
    await stop(0);
  } catch (err) {
    console.error(err);
    await stop(1);
  }
}
