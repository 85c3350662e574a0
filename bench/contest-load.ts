/**
 * A contest under load, through the server `npm start` runs (`wrangler dev`, started here by
 * test/support/local-server.ts, with a fresh D1): one live session created for `--players`
 * students (`contestPlayers`: 2 000 → 5 live rooms, "shards", of at most 500 under a coordinator,
 * worker/live/contest.ts). Every student joins over HTTP and opens their socket with the ticket the
 * join answers (its prefix `<sessionId>~<k>` names their shard); the teacher's remote talks to the
 * coordinator. Then `--questions` questions, each:
 * - the remote's `start`/`next` → the question at every player (coordinator → every shard → its
 *   sockets, one start time): the broadcast latency;
 * - each player answers the question it received at a random moment within `--spread-ms` → the
 *   ack of its shard: answer → ack;
 * - every shard reports all answered → the coordinator closes the question, merges the standings
 *   and reveals it everywhere; `next` → leaderboard; `next` → the next question.
 * After the last, `next` → the final. Then the session's results as the shards copied them to D1
 * (read from the server's local D1): every acked answer must be there (lost = acked − stored), and
 * the remote's merged final ranking and each player's own final standing must agree with the
 * scores in D1 (a rank is 1 + the number of higher scores).
 *
 *   npx tsx bench/contest-load.ts [--players 2000] [--questions 5] [--spread-ms 500]
 *                                 [--time-limit-s 20] [--port N] [--join-concurrency 100]
 *                                 [--baseline-rounds 5] [--timeout-s 1200]
 *
 * First (`--baseline-rounds 0` skips it), the same number of sockets on a bare Durable Object per
 * shard (test/support/baseline-server.ts, behind `wrangler dev` too): a constant question frame to
 * every socket on each command, an ack at once for every answer, no storage. Its figures are the
 * floor of this machine and this client, whatever the Worker does.
 *
 * Writes bench/results/contest.json and exits 1 when a check fails: lost answers, errors received,
 * a ranking that disagrees with D1, players on fewer than 4 shards (or than the contest has, when
 * fewer). The latency targets are reported, not enforced: this one Node process drives every
 * socket, every shard runs in the one local workerd, and both share the machine's cores with
 * whatever else runs there (the report records the load), so the figures bound what the server
 * adds rather than measure it alone.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { startWranglerBaseline } from '../test/support/baseline-server';
import {
  main,
  startServer,
  stopAll,
  storedParticipants,
  type LocalServer,
  type StoredParticipant,
} from '../test/support/local-server';
import { commandName, cpuMs, freePort, ROOT } from '../test/support/process';
import { stats, type Stats } from '../test/support/stats';
import { option, pool, sleep } from '../test/support/util';
import type { RankedPlayer, ServerMessage } from '../worker/contract';
import { contestShards, shardOf } from '../worker/live/contest';
import {
  answerRound,
  broadcastRound,
  Clients,
  joinPlayer,
  rssBytes,
  until,
  type Client,
  type JoinedPlayer,
} from './live-game';
import { api } from './load';

// Options ----------------------------------------------------------------------------------------

const PLAYERS = option('players', 2000, 2, 20_000);
const QUESTIONS = option('questions', 5, 1, 20);
const SPREAD_MS = option('spread-ms', 500, 0, 20_000);
const TIME_LIMIT_S = option('time-limit-s', 20, 5, 600);
/** 0: a free port. */
const PORT = option('port', 0, 0, 65535);
/** Joins in flight at once; wrangler dev's proxy fails requests past a few hundred waiting (bench/run.ts, BURST_IN_FLIGHT). */
const JOIN_IN_FLIGHT = option('join-concurrency', 100, 1, 500);
const BASELINE_ROUNDS = option('baseline-rounds', 5, 0, 100);
const TIMEOUT_S = option('timeout-s', 1200, 60, 7200);

/**
 * Students per network address (`CF-Connecting-IP`, which wrangler dev passes on): a contest's
 * students come from many schools, and a session seats at most `seatsPerNetwork` (80 by default,
 * 1 000 at most) from one address.
 */
const PER_SCHOOL = 40;

const RESULT_FILE = join(ROOT, 'bench/results/contest.json');
const round = (x: number, d = 2) => Math.round(x * 10 ** d) / 10 ** d;

/** CPU time of this process (ms, user + system). */
const ownCpuMs = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
};

// The contest ------------------------------------------------------------------------------------

interface Contest {
  id: string;
  code: string;
  teacherKey: string;
  questionCount: number;
  /** Live rooms the server gave it. */
  shards: number;
}

async function createContest(base: string): Promise<Contest> {
  const created = await api<Omit<Contest, 'shards'>>(base, '/api/sessions', {
    body: {
      title: 'Contest load',
      mode: 'live',
      contestPlayers: PLAYERS,
      count: QUESTIONS,
      timeLimitSec: TIME_LIMIT_S,
    },
  });
  const view = await api<{ session: { shards: number } }>(base, `/api/sessions/${created.id}`, {
    token: created.teacherKey,
  });
  return { ...created, shards: view.session.shards };
}

/** A student in the game, with the shard their ticket named. */
interface Player {
  nickname: string;
  client: Client;
  shard: number;
}

/** The shard a ticket opens: a ticket starts with its room's name, `<sessionId>~<k>` for shard k (-1: a single room). */
const ticketShard = (ticket: string | null): number => Number(/^[^.~]+~(\d+)\./.exec(ticket ?? '')?.[1] ?? -1);

/** The school (network address) of the i-th student. */
const schoolOf = (i: number) => {
  const school = Math.floor(i / PER_SCHOOL);
  return { 'CF-Connecting-IP': `10.${(school >> 8) & 255}.${school & 255}.1` };
};

/** wrangler dev's proxy failed the request: its own call to the Worker failed (it retries GETs only). */
const PROXY_FAILED = /→ 503 Your worker restarted mid-request|Unexpected server response: 503/;

/** Joins made again, and the seats they left empty. */
interface Rejoins {
  retries: number;
  /** Nicknames whose first join the Worker took although the proxy failed it: seats nobody uses. */
  ghosts: string[];
}

/**
 * A join (and its socket), made again when wrangler dev's proxy failed it, as a student whose
 * phone showed an error presses Join again. Whether the Worker took the failed one is unknown:
 * when it did, the nickname is taken (409) and the student joins as `<nickname>-2`, leaving a seat
 * nobody uses (counted, and left out of the checks that expect every seat played).
 */
async function joinRetrying(
  clients: Clients,
  base: string,
  code: string,
  nickname: string,
  headers: Record<string, string>,
  rejoins: Rejoins,
): Promise<JoinedPlayer & { nickname: string }> {
  let name = nickname;
  for (let attempt = 1; ; attempt++) {
    try {
      return { ...(await joinPlayer(clients, base, code, name, headers)), nickname: name };
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      const taken = attempt > 1 && /→ 409 .*nickname_taken/.test(message);
      if (attempt >= 3 || !(PROXY_FAILED.test(message) || taken)) throw err;
      if (taken) {
        rejoins.ghosts.push(name);
        name = `${nickname}-${attempt}`;
      } else rejoins.retries++;
      await sleep(500);
    }
  }
}

/** Every student joins (at most {@link JOIN_IN_FLIGHT} at once) and opens their socket; resolves once the remote lists them all. */
async function seatPlayers(clients: Clients, base: string, contest: Contest, host: Client) {
  const joinMs: number[] = [];
  const connectMs: number[] = [];
  const rejoins: Rejoins = { retries: 0, ghosts: [] };
  const start = performance.now();
  const nicknames = Array.from({ length: PLAYERS }, (_, i) => `c${String(i + 1).padStart(5, '0')}`);
  const players = await pool(nicknames, JOIN_IN_FLIGHT, async (nickname, i): Promise<Player> => {
    const joined = await joinRetrying(clients, base, contest.code, nickname, schoolOf(i), rejoins);
    joinMs.push(joined.joinMs);
    connectMs.push(joined.connectMs);
    return { nickname: joined.nickname, client: joined.client, shard: ticketShard(joined.ticket) };
  });
  const socketsOpenMs = performance.now() - start;
  // The coordinator learns of arrivals from its shards' reports (at most every 250 ms each).
  await until(
    () => host.playerCount >= PLAYERS,
    'the remote to list every player',
    60_000,
    () => `${host.playerCount} of ${PLAYERS}`,
  );
  return {
    players,
    join: {
      concurrency: JOIN_IN_FLIGHT,
      perSchool: PER_SCHOOL,
      perRequestMs: stats(joinMs),
      connectMs: stats(connectMs),
      socketsOpenWallMs: Math.round(socketsOpenMs),
      allListedWallMs: Math.round(performance.now() - start),
      retries: rejoins.retries,
      ghostSeats: rejoins.ghosts,
    },
  };
}

/** Players per shard, by the tickets; and those whose ticket's shard is not the hash of their id (the placement rule). */
function placement(players: Player[], shards: number) {
  const sizes = countByShard(players, () => 1);
  const misplaced = players.filter((p) => shards > 1 && shardOf(p.client.participantId ?? '', shards) !== p.shard);
  return { sizes, distinct: Object.keys(sizes).length, misplaced: misplaced.length };
}

/** The p95 of `values` (one per player, in the same order; undefined: none) per shard. */
function p95PerShard(players: Player[], values: (number | undefined)[]): Record<string, number> {
  const by = new Map<number, number[]>();
  players.forEach((p, i) => {
    const v = values[i];
    if (v === undefined) return;
    if (!by.has(p.shard)) by.set(p.shard, []);
    by.get(p.shard)!.push(v);
  });
  return Object.fromEntries([...by].sort(([a], [b]) => a - b).map(([k, v]) => [k, stats(v).p95]));
}

/** How many players of each shard `which` picks. */
function countByShard(players: Player[], which: (p: Player) => number): Record<string, number> {
  const out: Record<string, number> = {};
  for (const p of players) {
    const n = which(p);
    if (n > 0) out[p.shard] = (out[p.shard] ?? 0) + n;
  }
  return out;
}

/** Players of each shard still lacking something, for a message on a timeout. */
const missingByShard = (players: Player[], lacks: (p: Player) => boolean) =>
  JSON.stringify(countByShard(players, (p) => (lacks(p) ? 1 : 0)));

interface QuestionFigures {
  position: number;
  type: string;
  /** Command → question, over every player. */
  broadcastMs: Stats;
  broadcastP95PerShard: Record<string, number>;
  ackMs: Stats;
  ackP95PerShard: Record<string, number>;
  sent: number;
  acked: number;
  refused: number;
  /** Last answer sent → reveal at every player, and at the remote. */
  revealAfterLastAnswerMs: Stats;
  remoteRevealAfterLastAnswerMs: number;
  /** The coordinator closed the question before its time was up (everyone answered). */
  closedEarly: boolean;
  /** From the first answer to the last ack: its length, the server's CPU per answer, and the cores both sides kept busy. */
  answerRound: { wallMs: number; serverCpuMsPerAnswer: number; serverCores: number; clientCores: number };
}

/** One question: the broadcast, the answers, the reveal; its figures, and every player's times for the totals. */
async function playQuestion(
  host: Client,
  players: Player[],
  position: number,
  serverCpuMs: () => number,
): Promise<{ figures: QuestionFigures; reach: number[]; ackMs: number[] }> {
  const clients = players.map((p) => p.client);
  const opened = performance.now();
  const reach = await broadcastRound(clients, position, () => host.send({ type: position === 0 ? 'start' : 'next' }));
  const [cpu, ownCpu, answering] = [serverCpuMs(), ownCpuMs(), performance.now()];
  const answers = await answerRound(clients, position, SPREAD_MS);
  const answersMs = performance.now() - answering;
  const answersCpu = { server: serverCpuMs() - cpu, client: ownCpuMs() - ownCpu };
  const revealed = (c: Client) => c.revealAt.has(position) && c.results > position;
  await until(
    () => host.revealAt.has(position) && clients.every(revealed),
    `the reveal of question ${position}`,
    TIME_LIMIT_S * 1000 + 30_000,
    () =>
      `remote ${host.revealAt.has(position) ? 'has it' : 'has not'}; players without it by shard ${missingByShard(players, (p) => !revealed(p.client))}`,
  );
  const figures: QuestionFigures = {
    position,
    type: clients[0]!.question.get(position)!.type,
    broadcastMs: stats(reach),
    broadcastP95PerShard: p95PerShard(players, reach),
    ackMs: stats(answers.ackMs),
    ackP95PerShard: p95PerShard(players, answers.byPlayer),
    sent: answers.sent,
    acked: answers.acked,
    refused: answers.refused,
    revealAfterLastAnswerMs: stats(clients.map((c) => c.revealAt.get(position)! - answers.lastAnswer)),
    remoteRevealAfterLastAnswerMs: round(host.revealAt.get(position)! - answers.lastAnswer, 1),
    closedEarly: host.revealAt.get(position)! - opened < TIME_LIMIT_S * 1000,
    answerRound: {
      wallMs: Math.round(answersMs),
      serverCpuMsPerAnswer: round(answersCpu.server / answers.sent),
      serverCores: round(answersCpu.server / answersMs),
      clientCores: round(answersCpu.client / answersMs),
    },
  };
  return { figures, reach, ackMs: answers.ackMs };
}

/** `next` → the leaderboard at the remote and every player. */
async function leaderboard(host: Client, players: Player[], position: number): Promise<void> {
  host.send({ type: 'next' });
  await until(
    () => host.leaderboards > position && players.every((p) => p.client.leaderboards > position),
    `the leaderboard after question ${position}`,
    30_000,
    () => `players without it by shard ${missingByShard(players, (p) => p.client.leaderboards <= position)}`,
  );
}

/** `next` after the last reveal → the final at the remote (with the merged ranking) and every player. */
async function final(host: Client, players: Player[]): Promise<void> {
  host.send({ type: 'next' });
  await until(
    () => host.final !== null && players.every((p) => p.client.final !== null),
    'the final',
    30_000,
    () => `players without it by shard ${missingByShard(players, (p) => p.client.final === null)}`,
  );
}

// The results in D1 ------------------------------------------------------------------------------

/**
 * The session's participants in D1 once the shards' copies have landed: each shard copies its
 * results after the final in a batch of its own, so read until every player is marked finished
 * and two reads a second apart agree (or 60 s have passed).
 */
async function settledResults(server: LocalServer, sessionId: string, players: Player[]): Promise<StoredParticipant[]> {
  const deadline = performance.now() + 60_000;
  const played = new Set(players.map((p) => p.nickname));
  let previous = '';
  for (;;) {
    const rows = await storedParticipants(server, sessionId);
    const key = JSON.stringify(rows.map((r) => [r.nickname, r.n, r.score, r.finished]).sort());
    const finished = rows.filter((r) => played.has(r.nickname) && r.finished === 1).length;
    const settled = finished === played.size && key === previous;
    if (settled || performance.now() > deadline) return rows;
    previous = key;
    await sleep(1000);
  }
}

/** What D1 holds against what the players saw: lost answers, and rankings that disagree. */
function checkResults(players: Player[], host: Client, stored: StoredParticipant[]) {
  const byName = new Map(stored.map((r) => [r.nickname, r]));
  const unfinished = players.filter((p) => byName.get(p.nickname)?.finished !== 1);
  const higher = (score: number) => stored.filter((r) => r.score > score).length;
  // Lost: acked by a shard, not in D1.
  const acked = players.reduce((n, p) => n + p.client.ackAt.size, 0);
  const lostByShard = countByShard(players, (p) => p.client.ackAt.size - (byName.get(p.nickname)?.n ?? 0));
  const inD1 = stored.reduce((n, r) => n + r.n, 0);
  const rankingWrong = (row: Pick<RankedPlayer, 'nickname' | 'score' | 'rank'>) => {
    const d1 = byName.get(row.nickname);
    return !d1 || d1.score !== row.score || row.rank !== 1 + higher(d1.score);
  };
  const ranking = host.final?.ranking ?? [];
  const wrongRows = ranking.filter(rankingWrong);
  const own = players.map((p) => p.client.final!.me!);
  const wrongOwn = own.filter((m) => m.rank === null || rankingWrong({ ...m, rank: m.rank }));
  return {
    answersAcked: acked,
    answersInD1: inD1,
    lostAnswers: acked - inD1,
    lostByShard,
    participantsInD1: stored.length,
    /** Players without a finished row in D1 (missing, or not marked finished). */
    unfinishedInD1: unfinished.length,
    /** A D1 total that is not the sum of the participant's stored answers. */
    totalsNotSumOfAnswers: stored.filter((r) => r.score !== r.pts || r.correct_count !== r.c).length,
    finalRanking: {
      rows: ranking.length,
      wrong: wrongRows.length,
      samples: wrongRows.slice(0, 5).map((r) => ({ ...r, d1: byName.get(r.nickname) ?? null })),
    },
    ownFinal: { players: own.length, wrong: wrongOwn.length, samples: wrongOwn.slice(0, 5) },
    topScore: stored.reduce((m, r) => Math.max(m, r.score), 0),
    distinctScores: new Set(stored.map((r) => r.score)).size,
  };
}

// The bare baseline ------------------------------------------------------------------------------

interface Baseline {
  rooms: number;
  rounds: number;
  broadcastMs: Stats;
  ackMs: Stats;
  /** CPU of its workerd processes per answer over the answer rounds (the same measure as each question's `answerRound`). */
  serverCpuMsPerAnswer: number;
}

/**
 * The same number of sockets over `shards` bare Durable Objects, one host socket each: every round
 * this process sends `next` to every host in one tick, then every player answers within the spread.
 */
async function bareBaseline(shards: number): Promise<Baseline> {
  const server = await startWranglerBaseline(PORT || (await freePort()));
  const clients = new Clients((why) => console.error(`contest-load: baseline ${why}`));
  try {
    const ws = server.base.replace(/^http/, 'ws');
    const hosts = await Promise.all(
      Array.from({ length: shards }, (_, k) => clients.open(server.base, `${ws}/ws?role=host&room=${k}`)),
    );
    const players = await pool(Array.from({ length: PLAYERS }), JOIN_IN_FLIGHT, (_, i) =>
      clients.open(server.base, `${ws}/ws?role=player&room=${i % shards}`),
    );
    await sleep(1000);
    const reached: number[] = [];
    const acks: number[] = [];
    let answersCpuMs = 0;
    for (let r = 0; r < BASELINE_ROUNDS; r++) {
      reached.push(...(await broadcastRound(players, r, () => hosts.forEach((h) => h.send({ type: 'next' })))));
      // The baseline's question has one id in every round.
      for (const p of players) p.ackAt.clear();
      const cpu = cpuMs(server.workerdPids());
      acks.push(...(await answerRound(players, r, SPREAD_MS)).ackMs);
      answersCpuMs += cpuMs(server.workerdPids()) - cpu;
    }
    return {
      rooms: shards,
      rounds: BASELINE_ROUNDS,
      broadcastMs: stats(reached),
      ackMs: stats(acks),
      serverCpuMsPerAnswer: round(answersCpuMs / (BASELINE_ROUNDS * PLAYERS)),
    };
  } finally {
    clients.close();
    await server.stop();
  }
}

// The run ----------------------------------------------------------------------------------------

/**
 * How busy the machine is: the load average, and the share of the last 10 s and 60 s in which
 * runnable tasks waited for a CPU (Linux pressure stall information; null where the kernel has
 * none). Others' jobs share these two cores, and every figure here moves with them.
 */
function machineLoad() {
  let cpuPressure: { avg10: number; avg60: number } | null = null;
  try {
    const m = /some avg10=([\d.]+) avg60=([\d.]+)/.exec(readFileSync('/proc/pressure/cpu', 'utf8'));
    if (m) cpuPressure = { avg10: Number(m[1]), avg60: Number(m[2]) };
  } catch {
    // No PSI here.
  }
  return { loadavg: loadavg().map((x) => round(x)), cpuPressure };
}

/** The contest on a running server, from its creation to its results in D1. */
async function playContest(server: LocalServer) {
  const socketErrors: string[] = [];
  const clients = new Clients((why) => socketErrors.push(why));
  const workerd = () => server.pids().filter((pid) => commandName(pid) === 'workerd');
  const contest = await createContest(server.base);
  const host = await clients.open(server.base, {
    sessionId: contest.id,
    teacherKey: contest.teacherKey,
    screen: 'remote',
  });
  await until(() => host.welcomed, 'the remote welcome');
  const rssBefore = rssBytes(workerd());
  const { players, join } = await seatPlayers(clients, server.base, contest, host);
  const rssAfter = rssBytes(workerd());
  const shards = placement(players, contest.shards);
  console.log(
    `${PLAYERS} players joined and listed in ${(join.allListedWallMs / 1000).toFixed(1)} s; ` +
      `${contest.shards} shards, players per shard ${JSON.stringify(shards.sizes)}`,
  );

  // The game, with the CPU both sides spend on it.
  const serverCpu = server.cpuMs();
  const clientCpu = ownCpuMs();
  const gameStart = performance.now();
  const questions: QuestionFigures[] = [];
  const reached: number[] = [];
  const acks: number[] = [];
  for (let position = 0; position < contest.questionCount; position++) {
    const { figures: q, reach, ackMs } = await playQuestion(host, players, position, () => server.cpuMs());
    questions.push(q);
    reached.push(...reach);
    acks.push(...ackMs);
    console.log(
      `question ${position + 1}: broadcast p50 ${q.broadcastMs.p50} / p95 ${q.broadcastMs.p95} / max ${q.broadcastMs.max} ms; ` +
        `ack p50 ${q.ackMs.p50} / p95 ${q.ackMs.p95} ms; acked ${q.acked} of ${q.sent}; ` +
        `reveal at the remote ${q.remoteRevealAfterLastAnswerMs} ms after the last answer${q.closedEarly ? '' : ' (time up)'}; ` +
        `server ${q.answerRound.serverCpuMsPerAnswer} ms CPU per answer (${q.answerRound.serverCores} cores busy)`,
    );
    if (position + 1 < contest.questionCount) await leaderboard(host, players, position);
  }
  await final(host, players);
  const gameMs = performance.now() - gameStart;
  const resources = {
    gameWallMs: Math.round(gameMs),
    /** CPU of the server's workerd processes (Worker, coordinator, shards, D1) over the game: ms, and cores busy on average. */
    serverCpuMs: Math.round(server.cpuMs() - serverCpu),
    serverCores: round((server.cpuMs() - serverCpu) / gameMs),
    /** CPU of this process (every socket, every frame parsed). */
    clientCpuMs: Math.round(ownCpuMs() - clientCpu),
    clientCores: round((ownCpuMs() - clientCpu) / gameMs),
    /** Resident memory of the workerd processes before the players joined and once all were in. */
    workerdRssBeforeBytes: rssBefore,
    workerdRssAfterBytes: rssAfter,
    perPlayerBytes: Math.round((rssAfter - rssBefore) / PLAYERS),
  };

  const results = checkResults(players, host, await settledResults(server, contest.id, players));
  const errors: ServerMessage[] = clients.errors();
  const closedSockets = players.filter((p) => p.client.socket.closed).length;
  clients.close();
  return {
    contest,
    shards,
    join,
    questions,
    broadcastMs: stats(reached),
    ackMs: stats(acks),
    results,
    errors: {
      received: errors.length,
      byCode: errors.reduce<Record<string, number>>((m, e) => {
        const code = e.type === 'error' ? e.code : e.type;
        return { ...m, [code]: (m[code] ?? 0) + 1 };
      }, {}),
      byShard: countByShard(players, (p) => p.client.errors.length),
      samples: errors.slice(0, 5),
      socketErrors: socketErrors.length,
      socketErrorSamples: socketErrors.slice(0, 5),
      closedSockets,
    },
    resources,
  };
}

type Played = Awaited<ReturnType<typeof playContest>>;

/** What must hold whatever the machine's load (the latency targets are reported beside them). */
function checksOf({ contest, shards, results, errors }: Played) {
  return {
    shards: shards.distinct >= Math.min(4, contest.shards) && shards.misplaced === 0,
    noLostAnswers: results.lostAnswers === 0 && results.answersAcked === PLAYERS * contest.questionCount,
    noErrors: errors.received === 0 && errors.socketErrors === 0 && errors.closedSockets === 0,
    rankingsAgreeWithD1:
      results.finalRanking.rows > 0 &&
      results.finalRanking.wrong === 0 &&
      results.ownFinal.wrong === 0 &&
      results.totalsNotSumOfAnswers === 0 &&
      results.unfinishedInD1 === 0,
  };
}

function reportOf(played: Played, baseline: Baseline | null, machineAtStart: ReturnType<typeof machineLoad>) {
  const { contest, shards, questions, broadcastMs, ackMs, results } = played;
  return {
    date: new Date().toISOString(),
    command: `npx tsx bench/contest-load.ts ${process.argv.slice(2).join(' ')}`.trim(),
    server: 'wrangler dev (workerd + local D1) serving the `wrangler deploy --dry-run` bundle',
    machine: { cpus: cpus().length, node: process.version, atStart: machineAtStart, atEnd: machineLoad() },
    settings: {
      players: PLAYERS,
      questions: contest.questionCount,
      answerSpreadMs: SPREAD_MS,
      timeLimitSec: TIME_LIMIT_S,
    },
    shards: {
      count: contest.shards,
      distinct: shards.distinct,
      playersPerShard: shards.sizes,
      misplaced: shards.misplaced,
    },
    join: played.join,
    /** Host command → question at every player, every question. */
    broadcastMs,
    /** Per question, the last player's. */
    broadcastLastMs: questions.map((q) => q.broadcastMs.max),
    ackMs,
    targets: {
      broadcastP95Ms: { goal: 250, measured: broadcastMs.p95, met: broadcastMs.p95 <= 250 },
      ackP95Ms: { goal: 50, measured: ackMs.p95, met: ackMs.p95 <= 50 },
      lostAnswers: { goal: 0, measured: results.lostAnswers, met: results.lostAnswers === 0 },
    },
    answers: {
      sent: questions.reduce((n, q) => n + q.sent, 0),
      acked: results.answersAcked,
      refused: questions.reduce((n, q) => n + q.refused, 0),
      inD1: results.answersInD1,
      lost: results.lostAnswers,
      lostByShard: results.lostByShard,
    },
    results,
    errors: played.errors,
    perQuestion: questions,
    resources: played.resources,
    baseline,
    checks: checksOf(played),
  };
}

/** bench/results/contest.json (bench/run.ts reads it). */
export type ContestReport = ReturnType<typeof reportOf>;

function printSummary(r: ContestReport): void {
  const pair = (s: Stats) => `p50 ${s.p50} / p95 ${s.p95} / max ${s.max} ms`;
  const load = (m: ReturnType<typeof machineLoad>) =>
    `load ${m.loadavg.join(' ')}${m.cpuPressure ? `, CPU pressure ${m.cpuPressure.avg60} %` : ''}`;
  const lines = [
    '',
    `contest: ${r.settings.players} players over ${r.shards.count} shards ${JSON.stringify(r.shards.playersPerShard)}`,
    `command → question at every player: ${pair(r.broadcastMs)} (last player per question: ${r.broadcastLastMs.join(' / ')} ms)`,
    `answer → ack (answers within ${r.settings.answerSpreadMs} ms): ${pair(r.ackMs)}`,
    r.baseline
      ? `bare baseline (${r.baseline.rooms} rooms): broadcast ${pair(r.baseline.broadcastMs)}; ack ${pair(r.baseline.ackMs)}; ` +
        `server ${r.baseline.serverCpuMsPerAnswer} ms CPU per answer`
      : 'bare baseline: not run',
    `answers: sent ${r.answers.sent}, acked ${r.answers.acked}, in D1 ${r.answers.inD1}, lost ${r.answers.lost}`,
    `final ranking: ${r.results.finalRanking.rows} rows, ${r.results.finalRanking.wrong} disagree with D1; ` +
      `own final standings disagreeing: ${r.results.ownFinal.wrong} of ${r.results.ownFinal.players}`,
    `errors received ${r.errors.received}, socket errors ${r.errors.socketErrors}, sockets closed ${r.errors.closedSockets}`,
    `CPU over the game: server ${r.resources.serverCores} cores, this client ${r.resources.clientCores} cores; ` +
      `workerd memory ${r.resources.perPlayerBytes} bytes per player`,
    `machine: ${load(r.machine.atStart)} at the start, ${load(r.machine.atEnd)} at the end`,
    ...Object.entries(r.targets).map(
      ([name, t]) => `target ${name} ≤ ${t.goal}: ${t.measured} ${t.met ? 'met' : 'MISSED'}`,
    ),
    `written to ${RESULT_FILE}`,
  ];
  console.log(lines.join('\n'));
}

async function run(): Promise<number> {
  const machineAtStart = machineLoad();
  console.log(
    `contest-load: ${PLAYERS} players, ${QUESTIONS} questions, answers within ${SPREAD_MS} ms, ` +
      `${cpus().length} CPUs (load ${machineAtStart.loadavg.join(' ')}), Node ${process.version}`,
  );
  const baseline = BASELINE_ROUNDS > 0 ? await bareBaseline(contestShards(PLAYERS)) : null;
  if (baseline)
    console.log(
      `baseline (${baseline.rooms} bare rooms): broadcast p50 ${baseline.broadcastMs.p50} / p95 ${baseline.broadcastMs.p95} ms, ` +
        `answer → ack p50 ${baseline.ackMs.p50} / p95 ${baseline.ackMs.p95} ms`,
    );
  const server = await startServer({ label: 'contest', port: PORT || undefined, verbose: true });
  server.onUnexpectedExit = (why) => {
    console.error(`contest-load: ${why}`);
    void stopAll().finally(() => process.exit(1));
  };
  const played = await playContest(server);
  await server.stop();

  const report = reportOf(played, baseline, machineAtStart);
  mkdirSync(join(ROOT, 'bench/results'), { recursive: true });
  writeFileSync(RESULT_FILE, `${JSON.stringify(report, null, 2)}\n`);
  printSummary(report);
  const failed = Object.entries(report.checks).filter(([, ok]) => !ok);
  if (failed.length) console.error(`contest-load: checks failed: ${failed.map(([name]) => name).join(', ')}`);
  return failed.length ? 1 : 0;
}

main('contest-load', TIMEOUT_S * 1000, run);
