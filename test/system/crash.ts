/**
 * Crash test: kills the local server (`wrangler dev`: wrangler and both workerd processes)
 * with SIGKILL in the middle of a self-paced session, a live one and a contest, restarts it on the
 * same `--persist-to` state, and checks that every acknowledged answer and every score is still there
 * and that the session goes on to its end. Why: an acknowledged answer is a promise to the
 * student, and a server can die at any moment; the play room and the live room acknowledge an
 * answer only once it is durable, and this is the check that they keep that promise.
 *
 *   npm run test:crash -- [--students 40] [--players 16] [--contest-players 30] [--port N]
 *     [--timeout-s 900] [--verbose] [--only selfPaced,live,contest,liveDeadline]
 *
 * 1. Self-paced: students answer a few questions each, then all answer as fast as they can and
 *    the server is SIGKILLed mid-burst (requests in flight). An acknowledged answer is on disk in the
 *    session's play room (worker/rooms/play-room.ts), which copies it to D1 shortly after; after the
 *    restart the teacher's view has the room copy what it holds, and D1 must then have every
 *    acknowledged answer with its acknowledged points and time, every score the sum of its
 *    answers. Then: each student is served the question they are on
 *    (the clock of a question served before the crash is not restarted), a retry of an acknowledged
 *    answer returns the stored result, the answers that were in flight are retried, and everyone
 *    plays to the end; D1 is checked again.
 * 2. Live: a host (the teacher's remote) and players over WebSockets (`ws`); question 1 is
 *    answered and revealed (D1 has it), on question 2 half the players answer (acknowledged: only
 *    in the room's storage) and the server is SIGKILLed. After the restart, the host and players
 *    reconnect with new tickets: phase, question, scores and the acknowledged answers come back (the
 *    snapshot repeats their `ack`), the others answer, the question closes by itself and the reveal
 *    scores everyone. A second SIGKILL during the leaderboard; a third just after the `next` that
 *    opens question 3 (as soon as the host's screen has it): everyone comes back to it, with its
 *    first deadline. Then the game is played to the podium; every result and score is in D1 once,
 *    the remote's final ranking agrees with D1, and the session is closed.
 * 3. Contest: the same game and crashes as a contest (`contestPlayers` 1200: 3 shards, each a live
 *    room, under a coordinator, the room named by the session id, which the host talks to). Each
 *    player's ticket must name their shard (`<id>~k`, k the hash of their id), first and after each
 *    restart, and every shard must have players. What a contest adds: each shard comes back as a
 *    room of its own and must not report itself done before its students are back; the coordinator,
 *    whose shard counts were only in memory, must learn them again to close question 2 once all have
 *    answered; the kill just after `next` may fall after the coordinator opened question 3 and before
 *    the shards did, and they must still open it, with its deadline; results rank over the whole
 *    contest (`playerCount` is every player); D1 gets each shard's rows.
 * 4. Live deadline: a question's deadline passes while the server is down; after the restart the
 *    room's alarm closes and reveals it without anyone touching it.
 *
 * Writes test/system/results/crash.json. Exits 1 on any failed check.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { rightResponse, servedQuestion, wrongResponse } from '../support/answers';
import { HttpClient, NoResponse, type HttpResult } from '../support/http';
import { type LiveCredential, LiveSocket } from '../support/live-socket';
import { ROOT } from '../support/process';
import { LocalServer, main, sqlString, storedParticipants } from '../support/local-server';
import { option, pool, sleep } from '../support/util';
import { contestShards, shardOf } from '../../worker/live/contest';
import type {
  AnswerResult,
  CreatedSession,
  Joined,
  PlayState,
  QuestionMessage,
  ResultMessage,
  ServerMessage,
  StudentQuestion,
} from '../../worker/contract';

const argv = process.argv.slice(2);
const STUDENTS = option('students', 40, 2, 300);
const PLAYERS = option('players', 16, 2, 200);
/** Players of the contest: enough that each of its 3 shards gets some (all but certain with 30: 1 - 3·(2/3)^30). */
const CONTEST_PLAYERS = option('contest-players', 30, 6, 200);
/** The size the contest is created for: 1200 makes 3 shards (one per 500 students, a tenth to spare). */
const CONTEST_SIZE = 1200;
const PORT = argv.includes('--port') ? option('port', 0, 1024, 65535) : undefined;
const TIMEOUT_S = option('timeout-s', 900, 60, 3600);
const VERBOSE = argv.includes('--verbose');
/** Runs only the named parts (`--only live,contest`), to look into one. */
const ONLY = argv.includes('--only') ? argv[argv.indexOf('--only') + 1]?.split(',') : undefined;
const SELF_QUESTIONS = 10;
const LIVE_QUESTIONS = 4;

// Checks ---------------------------------------------------------------------------------------------

interface Check {
  part: string;
  name: string;
  ok: boolean;
  detail?: string;
}
const checks: Check[] = [];
let part = 'setup';
function check(name: string, ok: boolean, detail?: string): boolean {
  checks.push({ part, name, ok, ...(detail ? { detail } : {}) });
  console.log(`  ${ok ? '✓' : '✗'} ${name}${detail && (!ok || VERBOSE) ? `: ${detail}` : ''}`);
  return ok;
}
const fiveXX: string[] = [];

function expectOk<T>(what: string, res: HttpResult<T>, status = 200): T {
  if (res.status >= 500) fiveXX.push(`${what}: ${res.status} ${res.text.slice(0, 120)}`);
  if (res.status !== status)
    throw new Error(`${what}: expected ${status}, got ${res.status} ${res.text.slice(0, 300)}`);
  return res.json;
}

// 1. Self-paced ---------------------------------------------------------------------------------------

interface Student {
  nickname: string;
  token: string;
  /**
   * Acknowledged answers, in order. `questionId` is the session's id the student answered by,
   * `bankId` the question's id in D1.
   */
  acks: {
    questionId: string;
    bankId: string;
    body: unknown;
    points: number;
    correct: boolean;
    timeMs: number;
    repeated: boolean;
  }[];
  /** The last question served and not yet acknowledged: when, with how much time left. */
  served: { questionId: string; bankId: string; remainingMs: number; at: number } | null;
  /** An answer sent when the server died (no response), and the bank id of its question. */
  inFlight: { body: { questionId: string; response: unknown }; bankId: string } | null;
}

interface StoredSelf {
  nickname: string;
  question_id: string;
  points: number;
  correct: number;
  time_ms: number;
}

async function readSelf(server: LocalServer, sessionId: string) {
  const answers = await server.d1<StoredSelf>(
    `SELECT p.nickname, a.question_id, a.points, a.correct, a.time_ms FROM answers a JOIN participants p ON p.id = a.participant_id WHERE a.session_id = ${sqlString(sessionId)}`,
  );
  const people = await storedParticipants(server, sessionId);
  return { answers, people, byName: new Map(people.map((p) => [p.nickname, p])) };
}

/** Every acknowledged answer is stored once with its acknowledged result; every total is the sum of the stored answers. */
function checkStored(students: Student[], stored: Awaited<ReturnType<typeof readSelf>>, label: string) {
  const rows = new Map<string, StoredSelf[]>();
  for (const r of stored.answers)
    rows.set(`${r.nickname}/${r.question_id}`, [...(rows.get(`${r.nickname}/${r.question_id}`) ?? []), r]);
  const missing: string[] = [];
  const differ: string[] = [];
  let acked = 0;
  for (const s of students)
    for (const a of s.acks) {
      acked++;
      const found = rows.get(`${s.nickname}/${a.bankId}`) ?? [];
      if (found.length !== 1) missing.push(`${s.nickname}/${a.bankId} ×${found.length}`);
      else if (
        found[0]!.points !== a.points ||
        (found[0]!.correct === 1) !== a.correct ||
        found[0]!.time_ms !== a.timeMs
      )
        differ.push(
          `${s.nickname}/${a.bankId}: acked ${a.points}/${a.correct}/${a.timeMs}, stored ${JSON.stringify(found[0])}`,
        );
    }
  check(
    `${label}: all ${acked} acknowledged answers are in D1 exactly once`,
    missing.length === 0,
    missing.slice(0, 10).join('; '),
  );
  check(
    `${label}: with the acknowledged points, verdict and server time`,
    differ.length === 0,
    differ.slice(0, 10).join('; '),
  );
  const wrongTotals = stored.people.filter((p) => p.score !== p.pts || p.correct_count !== p.c || p.position !== p.n);
  check(
    `${label}: every score, correct count and position equals the sum/count of the stored answers`,
    wrongTotals.length === 0,
    JSON.stringify(wrongTotals.slice(0, 5)),
  );
  const unacked = stored.answers.filter(
    (r) => !students.find((s) => s.nickname === r.nickname)?.acks.some((a) => a.bankId === r.question_id),
  );
  return { acked, stored: stored.answers.length, storedUnacknowledged: unacked.length };
}

async function answerOnce(http: HttpClient, s: Student, timeoutMs = 30_000): Promise<'answered' | 'finished'> {
  const st = expectOk<PlayState>(
    `${s.nickname} GET /api/play`,
    await http.get('/api/play', { token: s.token, timeoutMs }),
  );
  if (!st.current) return 'finished';
  const { bankId, key: q } = servedQuestion(st.current.question);
  s.served = { questionId: q.id, bankId, remainingMs: st.current.remainingMs ?? 0, at: Date.now() };
  const body = { questionId: q.id, response: Math.random() < 0.6 ? rightResponse(q) : wrongResponse(q) };
  s.inFlight = { body, bankId };
  const res = await http.post<AnswerResult>('/api/play/answers', body, { token: s.token, timeoutMs });
  const r = expectOk(`${s.nickname} answer`, res);
  s.inFlight = null;
  s.served = null;
  s.acks.push({
    questionId: q.id,
    bankId,
    body,
    points: r.verdict!.points,
    correct: r.verdict!.correct,
    timeMs: r.verdict!.timeMs,
    repeated: r.repeated,
  });
  return 'answered';
}

async function selfPaced(server: LocalServer) {
  part = 'self-paced';
  console.log(`\n1. Self-paced session: ${STUDENTS} students, ${SELF_QUESTIONS} questions`);
  const http = new HttpClient(server.base, 64);
  const session = expectOk<CreatedSession>(
    'open session',
    await http.post('/api/sessions', {
      title: 'Crash test (self-paced)',
      count: SELF_QUESTIONS,
      timeLimitSec: 600,
      shuffleQuestions: true,
      shuffleOptions: true,
      maxPlayers: STUDENTS + 10,
      seatsPerNetwork: STUDENTS + 10,
    }),
    201,
  );
  const students: Student[] = await pool(
    Array.from({ length: STUDENTS }, (_, i) => `c${i + 1}`),
    16,
    async (nickname) => {
      const joined = expectOk<Joined>(
        `join ${nickname}`,
        await http.post(`/api/codes/${session.code}/participants`, { nickname }),
        201,
      );
      return { nickname, token: joined.token, acks: [], served: null, inFlight: null };
    },
  );

  // Some answers before the crash (0 to 4 each), then every student is served their next question (its clock starts).
  await pool(students, 16, async (s, i) => {
    for (let k = 0; k < i % 5; k++) await answerOnce(http, s);
    const st = expectOk<PlayState>('GET /api/play', await http.get('/api/play', { token: s.token }));
    const { bankId } = servedQuestion(st.current!.question);
    s.served = { questionId: st.current!.question.id, bankId, remainingMs: st.current!.remainingMs!, at: Date.now() };
  });
  const ackedBefore = students.reduce((n, s) => n + s.acks.length, 0);
  console.log(
    `  ${ackedBefore} answers acknowledged; now everyone answers as fast as they can, and the server is killed mid-burst`,
  );

  // The burst: every student answers in a loop until the server dies under them.
  let dead = false;
  const burst = Promise.all(
    students.map(async (s) => {
      while (!dead)
        try {
          if ((await answerOnce(http, s, 20_000)) === 'finished') return;
        } catch (err) {
          if (err instanceof NoResponse) return;
          throw err;
        }
    }),
  );
  // Killed mid-burst: once about half of the remaining answers are acknowledged (whatever the
  // server's speed), at a random point around there.
  const total = students.length * SELF_QUESTIONS;
  const killAt = ackedBefore + Math.floor((total - ackedBefore) * (0.35 + Math.random() * 0.3));
  while (students.reduce((n, s) => n + s.acks.length, 0) < killAt) await sleep(2);
  const inFlightAtKill = students.filter((s) => s.inFlight).length;
  const killedAt = Date.now();
  const pids = await server.kill('SIGKILL');
  dead = true;
  await burst;
  const acked = students.reduce((n, s) => n + s.acks.length, 0);
  console.log(
    `  SIGKILL → ${pids.length} processes (wrangler, workerd) with ${inFlightAtKill} answers in flight; ${acked} answers acknowledged in all`,
  );
  check(
    'the server is down (no process left, port closed)',
    server.pids().length === 0 &&
      (await fetch(`${server.base}/api/health`).then(
        () => false,
        () => true,
      )),
  );

  // What was acknowledged is on disk: in D1, or in the play room's storage not yet copied to D1.
  // After the restart, before any student asks anything, the teacher's view has the room copy it
  // to D1 (as it does for every teacher read), and D1 must hold every acknowledged answer.
  const restartMs = await server.start();
  const restartedAt = Date.now();
  console.log(`  restarted in ${restartMs} ms`);
  expectOk(
    'teacher view after the restart',
    await http.get(`/api/sessions/${session.id}`, { token: session.teacherKey }),
  );
  const afterRestart = await readSelf(server, session.id);
  const onDisk = checkStored(students, afterRestart, 'after the kill and the restart');
  console.log(
    `  stored: ${onDisk.stored} answers (${onDisk.storedUnacknowledged} stored although their response never arrived)`,
  );

  // Each student is on the question after their stored answers, with their stored score; a question served before the crash keeps its clock.
  const wrongPlace: string[] = [];
  const clockReset: string[] = [];
  const sameQuestion: string[] = [];
  let servedChecked = 0;
  await pool(students, 16, async (s) => {
    const st = expectOk<PlayState>(
      `${s.nickname} GET /api/play after restart`,
      await http.get('/api/play', { token: s.token }),
    );
    const p = afterRestart.byName.get(s.nickname)!;
    if (st.me.answered !== p.n || st.me.score !== p.score)
      wrongPlace.push(`${s.nickname}: me ${JSON.stringify(st.me)}, D1 ${p.n} answers, score ${p.score}`);
    // (Unless the answer to it was in flight and got stored: then the student has moved on.)
    const answeredInFlight =
      s.served && afterRestart.answers.some((a) => a.nickname === s.nickname && a.question_id === s.served!.bankId);
    if (s.served && st.current && !answeredInFlight) {
      servedChecked++;
      if (st.current.question.id !== s.served.questionId)
        sameQuestion.push(`${s.nickname}: served ${s.served.questionId} before, ${st.current.question.id} after`);
      else if (st.current.remainingMs! > s.served.remainingMs - (restartedAt - s.served.at) + 2000)
        clockReset.push(
          `${s.nickname}: ${s.served.remainingMs} ms left before, ${st.current.remainingMs} ms left ${restartedAt - s.served.at} ms later`,
        );
    }
  });
  check(
    'after the restart each student is on the question after their stored answers, with their stored score',
    wrongPlace.length === 0,
    wrongPlace.slice(0, 5).join('; '),
  );
  check(
    `a question served before the crash and not answered is served again after it (${servedChecked} students)`,
    sameQuestion.length === 0 && servedChecked > 0,
    sameQuestion.slice(0, 5).join('; '),
  );
  check(
    'and its clock was not restarted (time left went down by at least the time that passed)',
    clockReset.length === 0,
    clockReset.slice(0, 5).join('; '),
  );

  // Retries: an acknowledged answer gives back the stored result; an answer lost in flight is sent again.
  const badRetry: string[] = [];
  let inFlightStoredBefore = 0;
  await pool(students, 16, async (s) => {
    const last = s.acks[s.acks.length - 1];
    if (last) {
      const r = expectOk<AnswerResult>(
        `${s.nickname} retry`,
        await http.post('/api/play/answers', last.body, { token: s.token }),
      );
      if (!r.repeated || r.verdict?.points !== last.points || r.verdict?.timeMs !== last.timeMs)
        badRetry.push(`${s.nickname}: ${JSON.stringify(r.verdict)} vs ${JSON.stringify(last)}`);
    }
    if (s.inFlight) {
      const { body, bankId } = s.inFlight;
      const storedBefore = afterRestart.answers.find((a) => a.nickname === s.nickname && a.question_id === bankId);
      const res = await http.post<AnswerResult>('/api/play/answers', body, { token: s.token });
      const r = expectOk(`${s.nickname} retry of the answer in flight`, res);
      if (storedBefore) {
        inFlightStoredBefore++;
        if (!r.repeated || r.verdict?.points !== storedBefore.points)
          badRetry.push(`${s.nickname} in flight: ${JSON.stringify(r)} vs stored ${JSON.stringify(storedBefore)}`);
      }
      s.acks.push({
        questionId: r.questionId,
        bankId,
        body,
        points: r.verdict!.points,
        correct: r.verdict!.correct,
        timeMs: r.verdict!.timeMs,
        repeated: r.repeated,
      });
      s.inFlight = null;
    }
  });
  check(
    'retries after the restart return the stored result (repeated, same points and time)',
    badRetry.length === 0,
    badRetry.slice(0, 5).join('; '),
  );

  // The session goes on: everyone plays to the end.
  await pool(students, 16, async (s) => {
    while ((await answerOnce(http, s)) === 'answered');
  });
  const final = await readSelf(server, session.id);
  const end = checkStored(students, final, 'at the end');
  const unfinished = final.people.filter((p) => !p.finished || p.n !== SELF_QUESTIONS);
  check(
    `every student finished all ${SELF_QUESTIONS} questions after the crash`,
    unfinished.length === 0 && final.people.length === STUDENTS,
    JSON.stringify(unfinished.slice(0, 5)),
  );
  check(
    'nothing is stored that was never acknowledged (every answer was retried until acknowledged)',
    end.storedUnacknowledged === 0,
    `${end.storedUnacknowledged}`,
  );
  const view = expectOk<{ leaderboard: { nickname: string; score: number }[] }>(
    'teacher view',
    await http.get(`/api/sessions/${session.id}`, { token: session.teacherKey }),
  );
  const boardWrong = view.leaderboard.filter((e) => final.byName.get(e.nickname)?.score !== e.score);
  check(
    "the teacher's leaderboard shows the stored scores",
    boardWrong.length === 0 && view.leaderboard.length === STUDENTS,
    JSON.stringify(boardWrong.slice(0, 5)),
  );
  http.close();
  return {
    students: STUDENTS,
    questions: SELF_QUESTIONS,
    acknowledgedBeforeBurst: ackedBefore,
    acknowledgedBeforeKill: acked,
    inFlightAtKill,
    storedOnDiskAfterKill: onDisk.stored,
    storedWithoutResponse: onDisk.storedUnacknowledged,
    inFlightAlreadyStored: inFlightStoredBefore,
    killedProcesses: pids.length,
    restartMs,
    downtimeMs: restartedAt - killedAt,
    storedAtEnd: end.stored,
  };
}

// 2 and 3. Live: one room, and a contest over several --------------------------------------------------

interface Player {
  nickname: string;
  token: string;
  id: string;
  socket: LiveSocket;
  /** Acknowledged answers: question id → right or wrong as sent. */
  acked: Map<string, boolean>;
  results: Map<string, ResultMessage>;
  sockets: LiveSocket[];
}

const allSockets: LiveSocket[] = [];
async function openSocket(server: LocalServer, who: LiveCredential): Promise<LiveSocket> {
  const socket = await LiveSocket.open(server.wsBase, who);
  allSockets.push(socket);
  return socket;
}

/**
 * The room whose ticket opened `socket` (the ticket starts with its name, and the Worker hands the
 * upgrade to that room): the session's id, or `<id>~k` for shard k of a contest.
 */
const ticketRoom = (socket: LiveSocket): string =>
  (new URL(socket.ws.url).searchParams.get('ticket') ?? '').split('.')[0]!;

interface LiveStored {
  participant_id: string;
  question_id: string;
  points: number;
  correct: number;
  response: string | null;
}

async function liveD1(server: LocalServer, sessionId: string) {
  const answers = await server.d1<LiveStored>(
    `SELECT participant_id, question_id, points, correct, response FROM answers WHERE session_id = ${sqlString(sessionId)}`,
  );
  const people = await server.d1<{
    id: string;
    score: number;
    correct_count: number;
    position: number;
    finished: number;
    pts: number;
  }>(
    `SELECT p.id, p.score, p.correct_count, p.position, p.finished_at IS NOT NULL AS finished,
            (SELECT coalesce(sum(a.points), 0) FROM answers a WHERE a.participant_id = p.id) AS pts
     FROM participants p WHERE p.session_id = ${sqlString(sessionId)}`,
  );
  const [session] = await server.d1<{ status: string }>(
    `SELECT status FROM sessions WHERE id = ${sqlString(sessionId)}`,
  );
  return { answers, people, status: session?.status };
}

/** Answers the open question (as shown, `shown`) for `players` (right or wrong at random) and waits for each ack. */
async function answerLive(players: Player[], shown: StudentQuestion) {
  const { key: q } = servedQuestion(shown);
  const questionId = shown.id;
  await Promise.all(
    players.map(async (p) => {
      const right = Math.random() < 0.6;
      p.socket.send({ type: 'answer', questionId, response: right ? rightResponse(q) : wrongResponse(q) });
      const ack = await p.socket.next('ack', 20_000, (m) => m.questionId === questionId);
      if (!ack.repeated) p.acked.set(questionId, right);
    }),
  );
}

/**
 * How long a question whose every player has answered may take to close by itself (a contest's
 * shards report their counts every quarter second, then the coordinator closes it on each shard).
 */
const CLOSE_WAIT_MS = 10_000;

/**
 * Once every player has answered `questionId`: waits for it to close by itself, else has the host
 * press `reveal` (so that the game goes on and the rest is still checked); then reads each player's
 * result. Says how it closed.
 */
async function collectResults(host: LiveSocket, players: Player[], questionId: string) {
  const matches = (m: { questionId: string }) => m.questionId === questionId;
  let closed: 'by itself' | 'by reveal' = 'by itself';
  if (!(await host.next('reveal', CLOSE_WAIT_MS, matches).then(Boolean, () => false))) {
    closed = 'by reveal';
    host.send({ type: 'reveal' });
    await host.next('reveal', 30_000, matches);
  }
  await Promise.all(
    players.map(async (p) => {
      await p.socket.next('reveal', 30_000, matches);
      p.results.set(questionId, await p.socket.next('result', 30_000, matches));
    }),
  );
  return closed;
}

interface LiveGame {
  /** The part of the checks, and the heading. */
  part: string;
  heading: string;
  title: string;
  players: number;
  /** A contest: the number of students it is created for, from which its shards follow. None: one room. */
  contestPlayers?: number;
}

/**
 * A live game with three SIGKILLs: mid-question, during a leaderboard, and just after the `next` that
 * opens a question. Played in one room, or as a contest (the same game over a coordinator and its
 * shards, whose every step, answer count and close crosses rooms).
 */
async function live(server: LocalServer, game: LiveGame) {
  part = game.part;
  const n = game.players;
  console.log(`\n${game.heading}: ${n} players, ${LIVE_QUESTIONS} questions`);
  const http = new HttpClient(server.base, 32);
  const session = expectOk<CreatedSession>(
    'open live session',
    await http.post('/api/sessions', {
      title: game.title,
      mode: 'live',
      count: LIVE_QUESTIONS,
      timeLimitSec: 120,
      shuffleOptions: true,
      seatsPerNetwork: n,
      ...(game.contestPlayers ? { contestPlayers: game.contestPlayers } : {}),
    }),
    201,
  );
  const shards = game.contestPlayers ? contestShards(game.contestPlayers) : 1;
  const view = expectOk<{ session: { shards: number } }>(
    'teacher view',
    await http.get(`/api/sessions/${session.id}`, { token: session.teacherKey }),
  );
  check(`the session has ${shards} live room(s)`, view.session.shards === shards, `${view.session.shards}`);

  // Every ticket, first and after each restart, must name the room its holder plays in: the
  // session's (the one room, or the contest's coordinator) for the host, the hash of their id's
  // shard for a contest's player.
  const roomOf = (p: Player) => (shards > 1 ? `${session.id}~${shardOf(p.id, shards)}` : session.id);
  const wrongRoom: string[] = [];
  const expectRoom = (socket: LiveSocket, room: string, who: string) => {
    if (ticketRoom(socket) !== room) wrongRoom.push(`${who}: ${ticketRoom(socket)}, not ${room}`);
  };
  const hostCredential = { sessionId: session.id, teacherKey: session.teacherKey };
  let host = await openSocket(server, hostCredential);
  expectRoom(host, session.id, 'host');
  await host.next('welcome');
  const players: Player[] = await pool(
    Array.from({ length: n }, (_, i) => `p${i + 1}`),
    8,
    async (nickname) => {
      const joined = expectOk<Joined>(
        `join ${nickname}`,
        await http.post(`/api/codes/${session.code}/participants`, { nickname }),
        201,
      );
      const socket = await openSocket(server, { token: joined.token });
      const welcome = await socket.next('welcome');
      return {
        nickname,
        token: joined.token,
        id: welcome.me!.participantId,
        socket,
        acked: new Map(),
        results: new Map(),
        sockets: [socket],
      };
    },
  );
  for (const p of players) expectRoom(p.socket, roomOf(p), p.nickname);
  const rooms = new Set(players.map((p) => ticketRoom(p.socket)));
  check(
    shards > 1
      ? `the players are spread over all ${shards} shards (their tickets name ${rooms.size} rooms)`
      : 'the players play in the one room',
    rooms.size === shards,
    [...rooms].join(', '),
  );
  await host.until(() => host.messages.filter((m) => m.type === 'player').length >= n, 'every player in the lobby');

  /** SIGKILL; returns once every socket has seen its connection go. */
  const kill = async () => {
    const killed = await server.kill('SIGKILL');
    await Promise.all([host, ...players.map((p) => p.socket)].map((s) => s.closedWith(15_000).catch(() => null)));
    return killed.length;
  };
  /** After a restart, the host's remote and then every player connect again, with new tickets. */
  const reconnect = async () => {
    host = await openSocket(server, hostCredential);
    expectRoom(host, session.id, 'host');
    const hostWelcome = await host.next('welcome');
    const welcomes = await pool(players, 8, async (p) => {
      p.socket = await openSocket(server, { token: p.token });
      p.sockets.push(p.socket);
      expectRoom(p.socket, roomOf(p), p.nickname);
      return p.socket.next('welcome');
    });
    return { hostWelcome, welcomes };
  };
  // D1 keeps bank ids; the game shows the session's.
  const bankIdOf = new Map<string, string>();
  const closes: { position: number; closed: Awaited<ReturnType<typeof collectResults>> }[] = [];
  /** `players` answer the open question; once everyone has, it closes and each result is read. */
  const answerAndClose = async (shown: QuestionMessage, answering = players) => {
    await answerLive(answering, shown.question);
    closes.push({ position: shown.position, closed: await collectResults(host, players, shown.question.id) });
  };
  /** The host opens the question at `position` (`next`); returns it once every player has it. */
  const open = async (position: number) => {
    host.send({ type: position === 0 ? 'start' : 'next' });
    const q = await host.next('question', 20_000, (m) => m.position === position);
    bankIdOf.set(q.question.id, servedQuestion(q.question).bankId);
    await Promise.all(players.map((p) => p.socket.next('question', 20_000, (m) => m.position === position)));
    return q;
  };
  const toLeaderboard = async () => {
    host.send({ type: 'next' });
    return host.next('leaderboard');
  };

  // Question 1: everyone answers, it is revealed and written to D1.
  const q1 = await open(0);
  await answerAndClose(q1);
  await toLeaderboard();
  const q2 = await open(1);
  const early = players.slice(0, Math.ceil(n / 2));
  const late = players.slice(early.length);
  await answerLive(early, q2.question);
  const scoresBefore = new Map(players.map((p) => [p.id, p.results.get(q1.question.id)!.score]));
  console.log(`  question 1 revealed; question 2 answered by ${early.length} of ${n} (acknowledged) → SIGKILL`);

  // Crash 1: mid-question.
  const killed1 = await kill();
  const disk1 = await liveD1(server, session.id);
  const q1Rows = disk1.answers.filter((a) => a.question_id === bankIdOf.get(q1.question.id));
  const q1Wrong = players.filter((p) => {
    const row = q1Rows.find((a) => a.participant_id === p.id);
    return !row || row.points !== p.results.get(q1.question.id)!.points || row.response === null;
  });
  check(
    'on disk after the kill: every answer to the revealed question 1 is in D1 with its points',
    q1Rows.length === n && q1Wrong.length === 0,
    q1Wrong.map((p) => p.nickname).join(', '),
  );
  const totalsWrong = disk1.people.filter((p) => p.score !== scoresBefore.get(p.id) || p.score !== p.pts);
  check(
    'on disk after the kill: every score in D1 is the one announced after question 1',
    totalsWrong.length === 0,
    JSON.stringify(totalsWrong.slice(0, 5)),
  );
  const restart1 = await server.start();
  console.log(`  restarted in ${restart1} ms (${killed1} processes killed); reconnecting everyone`);

  const back1 = await reconnect();
  check(
    'the host comes back to question 2, still open',
    back1.hostWelcome.phase === 'question' && back1.hostWelcome.position === 1,
    JSON.stringify({ phase: back1.hostWelcome.phase, position: back1.hostWelcome.position }),
  );
  check(
    'with every player still in the game',
    back1.hostWelcome.players?.length === n,
    `${back1.hostWelcome.players?.length}`,
  );
  const hostQuestion = await host.next('question');
  // The snapshot's count; a contest's coordinator counts what its shards report, so it may come later.
  const snapshotCount = await host.next('answerCount');
  const count =
    snapshotCount.answered === early.length
      ? snapshotCount
      : await host.next('answerCount', 10_000, (m) => m.answered === early.length).catch(() => null);
  check(
    'the same question, and the answer count includes the acknowledged answers',
    hostQuestion.question.id === q2.question.id && count !== null,
    `snapshot ${snapshotCount.answered}, then ${count?.answered ?? 'never'} of ${early.length} acknowledged`,
  );
  const comeback: string[] = [];
  await Promise.all(
    players.map(async (p, i) => {
      const welcome = back1.welcomes[i]!;
      const question = await p.socket.next('question');
      if (welcome.me?.score !== scoresBefore.get(p.id) || question.question.id !== q2.question.id)
        comeback.push(`${p.nickname}: ${JSON.stringify(welcome.me)} on ${question.question.id}`);
      if (early.includes(p)) {
        // The snapshot says this player has answered (their answer survived the crash).
        const ack = await p.socket.next('ack', 5000).catch(() => null);
        if (!ack?.repeated || ack.questionId !== q2.question.id)
          comeback.push(`${p.nickname}: no repeated ack for the answer acknowledged before the crash`);
      }
    }),
  );
  check(
    'each player comes back with their score, on the same question; those who answered before the crash are told so',
    comeback.length === 0,
    comeback.slice(0, 5).join('; '),
  );

  // A player who answered before the crash cannot answer again; the others answer; the reveal scores everyone.
  const again = early[0]!;
  const { key: q2Key } = servedQuestion(q2.question);
  again.socket.send({
    type: 'answer',
    questionId: q2Key.id,
    response: again.acked.get(q2Key.id) ? wrongResponse(q2Key) : rightResponse(q2Key),
  });
  const repeat = await again.socket.next('ack', 10_000);
  check(
    'an answer sent again after the restart is acknowledged as a repeat (the first one stands)',
    repeat.repeated,
    JSON.stringify(repeat),
  );
  await answerAndClose(q2, late);
  const resultsWrong = players.filter((p) => {
    const r = p.results.get(q2.question.id)!;
    const prev = p.results.get(q1.question.id)!;
    return !r.answered || r.correct !== p.acked.get(q2.question.id) || r.score !== prev.score + r.points;
  });
  check(
    'question 2 is revealed with every answer, those acknowledged before the crash scored as sent',
    resultsWrong.length === 0,
    resultsWrong
      .map((p) => `${p.nickname}: ${JSON.stringify(p.results.get(q2.question.id))}`)
      .slice(0, 3)
      .join('; '),
  );

  // Crash 2: during the leaderboard.
  const board = await toLeaderboard();
  await Promise.all(players.map((p) => p.socket.next('leaderboard', 10_000)));
  const killed2 = await kill();
  const restart2 = await server.start();
  console.log(`  leaderboard after question 2 → SIGKILL (${killed2} processes) → restarted in ${restart2} ms`);
  const back2 = await reconnect();
  const board2 = await host.next('leaderboard');
  check(
    'after the second crash the host is back on the leaderboard, unchanged',
    back2.hostWelcome.phase === 'leaderboard' && JSON.stringify(board2.top) === JSON.stringify(board.top),
    JSON.stringify({ phase: back2.hostWelcome.phase }),
  );

  // Crash 3: just after the `next` that opens question 3, as soon as the host's screen shows it
  // (a contest's shards open it at the same time; their students' frames may be out or not).
  host.send({ type: 'next' });
  const q3 = await host.next('question', 20_000, (m) => m.position === 2);
  bankIdOf.set(q3.question.id, servedQuestion(q3.question).bankId);
  const killed3 = await kill();
  const shownBeforeKill3 = players.filter((p) =>
    p.socket.messages.some((m) => m.type === 'question' && m.position === 2),
  ).length;
  const restart3 = await server.start();
  console.log(
    `  \`next\` → question 3 on the host's screen (${shownBeforeKill3} of ${n} players had it) → SIGKILL (${killed3} processes) → restarted in ${restart3} ms`,
  );
  const back3 = await reconnect();
  const hostQ3 = await host.next('question', 10_000).catch(() => null);
  const notOnQ3: string[] = [];
  await Promise.all(
    players.map(async (p, i) => {
      const shown = await p.socket.next('question', 10_000, (m) => m.position === 2).catch(() => null);
      if (shown?.question.id !== q3.question.id || shown.endsAt !== q3.endsAt)
        notOnQ3.push(`${p.nickname} (phase ${back3.welcomes[i]!.phase})`);
    }),
  );
  check(
    'after the third crash the host and every player are on question 3, open, with its first deadline',
    back3.hostWelcome.phase === 'question' &&
      hostQ3?.question.id === q3.question.id &&
      hostQ3.endsAt === q3.endsAt &&
      notOnQ3.length === 0,
    `host: ${back3.hostWelcome.phase}; ${notOnQ3.slice(0, 5).join(', ')}`,
  );
  await answerAndClose(q3);

  // The rest of the game.
  for (let position = 3; position < LIVE_QUESTIONS; position++) {
    await toLeaderboard();
    await answerAndClose(await open(position));
  }
  host.send({ type: 'next' });
  const final = await host.next('final', 30_000);
  const finals = await Promise.all(players.map((p) => p.socket.next('final', 30_000)));
  const sums = new Map(players.map((p) => [p.id, [...p.results.values()].reduce((s, r) => s + r.points, 0)]));
  check(
    'the game reaches the podium; each final score is the sum of the points announced per question',
    finals.every((f, i) => f.me?.score === sums.get(players[i]!.id)) && final.ranking?.length === n,
    JSON.stringify(finals.slice(0, 3).map((f) => f.me)),
  );
  const selfClosed = closes.filter((c) => c.closed === 'by itself').length;
  check(
    'every question closed by itself once everyone had answered (no `reveal` needed), crashes or not',
    selfClosed === closes.length,
    closes.map((c) => `question ${c.position + 1} ${c.closed}`).join(', '),
  );
  const badCount = players.flatMap((p) =>
    [...p.results.values()].filter((r) => r.playerCount !== n).map((r) => `${p.nickname}: ${r.playerCount}`),
  );
  check(
    `every result ranks over the whole game (playerCount ${n})`,
    badCount.length === 0,
    badCount.slice(0, 5).join('; '),
  );
  check(
    'every ticket, first and after each restart, named the room of its holder',
    wrongRoom.length === 0,
    wrongRoom.slice(0, 5).join('; '),
  );

  // D1 at the end (written before the podium; allow a little time).
  let disk = await liveD1(server, session.id);
  for (let i = 0; i < 10 && (disk.status !== 'closed' || disk.answers.length < n * LIVE_QUESTIONS); i++) {
    await sleep(1000);
    disk = await liveD1(server, session.id);
  }
  const rowsOf = (p: Player, questionId: string) =>
    disk.answers.filter((a) => a.participant_id === p.id && a.question_id === bankIdOf.get(questionId));
  const missing: string[] = [];
  for (const p of players)
    for (const [questionId, result] of p.results) {
      const rows = rowsOf(p, questionId);
      const row = rows[0];
      const acked = p.acked.get(questionId);
      if (
        rows.length !== 1 ||
        row!.points !== result.points ||
        (row!.correct === 1) !== result.correct ||
        (row!.response === null) === result.answered ||
        (acked !== undefined && (row!.response === null || (row!.correct === 1) !== acked))
      )
        missing.push(`${p.nickname}/${questionId}: ${JSON.stringify(rows)}`);
    }
  const ackedCount = players.reduce((s, p) => s + p.acked.size, 0);
  check(
    `D1 at the end: all ${n * LIVE_QUESTIONS} answers (${ackedCount} acknowledged, before and after the crashes) once each, with their announced points`,
    missing.length === 0 && disk.answers.length === n * LIVE_QUESTIONS,
    missing.slice(0, 5).join('; '),
  );
  const scoreWrong = disk.people.filter(
    (p) => p.score !== p.pts || p.score !== sums.get(p.id) || !p.finished || p.position !== LIVE_QUESTIONS,
  );
  check(
    'D1 at the end: every score is the sum of its answers and the final score; everyone finished',
    scoreWrong.length === 0 && disk.people.length === n,
    JSON.stringify(scoreWrong.slice(0, 5)),
  );
  // The remote's final ranking: each row's score is the one in D1, its rank 1 + the students scoring more.
  const stored = new Map(disk.people.map((p) => [p.id, p.score]));
  const rankWrong = (final.ranking ?? []).filter(
    (r) =>
      stored.get(r.participantId ?? '') !== r.score ||
      r.rank !== 1 + disk.people.filter((p) => p.score > r.score).length,
  );
  check(
    "the remote's final ranking agrees with the scores in D1",
    rankWrong.length === 0 && final.ranking?.length === disk.people.length,
    JSON.stringify(rankWrong.slice(0, 5)),
  );
  check('D1 at the end: the session is closed', disk.status === 'closed', disk.status);
  http.close();
  return {
    players: n,
    shards,
    roomsUsed: rooms.size,
    questions: LIVE_QUESTIONS,
    answersAcknowledgedBeforeFirstKill: early.length + n,
    answersOnlyInRoomStorageAtFirstKill: early.length,
    hostAnswerCountInSnapshotAfterFirstKill: snapshotCount.answered,
    kills: [
      { phase: 'question', processes: killed1, restartMs: restart1 },
      { phase: 'leaderboard', processes: killed2, restartMs: restart2 },
      { phase: 'just after next', processes: killed3, restartMs: restart3, playersShownTheQuestion: shownBeforeKill3 },
    ],
    closes,
    answersInD1AtEnd: disk.answers.length,
  };
}

// 4. Live deadline during the downtime ----------------------------------------------------------------

async function liveDeadline(server: LocalServer) {
  part = 'live deadline';
  console.log('\n4. Live question whose deadline passes while the server is down');
  const http = new HttpClient(server.base, 8);
  const session = expectOk<CreatedSession>(
    'open live session',
    await http.post('/api/sessions', { title: 'Crash test (deadline)', mode: 'live', count: 2, timeLimitSec: 5 }),
    201,
  );
  const host = await openSocket(server, { sessionId: session.id, teacherKey: session.teacherKey });
  await host.next('welcome');
  const people: { token: string; socket: LiveSocket; id: string }[] = [];
  for (const nickname of ['d1', 'd2']) {
    const joined = expectOk<Joined>(
      'join',
      await http.post(`/api/codes/${session.code}/participants`, { nickname }),
      201,
    );
    const socket = await openSocket(server, { token: joined.token });
    people.push({ token: joined.token, socket, id: (await socket.next('welcome')).me!.participantId });
  }
  host.send({ type: 'start' });
  const q = await host.next('question');
  const { key } = servedQuestion(q.question);
  people[0]!.socket.send({ type: 'answer', questionId: key.id, response: rightResponse(key) });
  await people[0]!.socket.next('ack');
  await server.kill('SIGKILL');
  // Down past the deadline.
  await sleep(Math.max(0, q.endsAt! - Date.now()) + 1000);
  const restartMs = await server.start();
  const started = Date.now();
  // Nobody connects for a while: only the room's alarm can close the question.
  let phase: string | undefined;
  let welcome: ServerMessage | undefined;
  for (let i = 0; i < 15 && phase !== 'reveal'; i++) {
    await sleep(1000);
    const [row] = await server.d1<{ n: number }>(
      `SELECT count(*) AS n FROM answers WHERE session_id = ${sqlString(session.id)}`,
    );
    if (row && row.n >= 2) phase = 'reveal';
  }
  const closedByAlarmMs = phase === 'reveal' ? Date.now() - started : null;
  const watcher = await openSocket(server, { sessionId: session.id, teacherKey: session.teacherKey });
  welcome = await watcher.next('welcome');
  const phaseNow = welcome.type === 'welcome' ? welcome.phase : undefined;
  check(
    'the overdue question is closed by the alarm after the restart, with nobody connected (answers in D1)',
    closedByAlarmMs !== null && phaseNow === 'reveal',
    `phase ${phaseNow}, D1 rows ${closedByAlarmMs === null ? 'missing' : 'written'} within 15 s of the restart`,
  );
  if (phaseNow !== 'reveal') {
    // Does it at least go on when the teacher presses reveal?
    watcher.send({ type: 'reveal' });
    const revealed = await watcher.next('reveal', 10_000).then(
      () => true,
      () => false,
    );
    check('the teacher can still reveal it by hand', revealed);
  } else {
    const reveal = await watcher.next('reveal');
    check(
      'the reveal counts the answer acknowledged before the crash',
      reveal.type === 'reveal' && reveal.distribution.answered === 1 && reveal.distribution.players === 2,
      JSON.stringify(reveal.type === 'reveal' ? reveal.distribution : null),
    );
  }
  http.close();
  return { restartMs, closedByAlarmMs, phaseAfterRestart: phaseNow };
}

// Main ------------------------------------------------------------------------------------------------

main('crash', TIMEOUT_S * 1000, async () => {
  console.log('crash: preparing a local server…');
  const server = await LocalServer.create({ label: 'crash', port: PORT, verbose: VERBOSE });
  server.onUnexpectedExit = (why) => checks.push({ part, name: `server exited on its own: ${why}`, ok: false });
  const startMs = await server.start();
  console.log(`wrangler dev ready on ${server.base} in ${startMs} ms (state: ${server.persist})`);
  const result: Record<string, unknown> = {
    date: new Date().toISOString(),
    machine: { cpus: cpus().length, node: process.version },
  };
  const parts: [string, () => Promise<unknown>][] = [
    ['selfPaced', () => selfPaced(server)],
    [
      'live',
      () => live(server, { part: 'live', heading: '2. Live session', title: 'Crash test (live)', players: PLAYERS }),
    ],
    [
      'contest',
      () =>
        live(server, {
          part: 'contest',
          heading: `3. Contest (${contestShards(CONTEST_SIZE)} shards)`,
          title: 'Crash test (contest)',
          players: CONTEST_PLAYERS,
          contestPlayers: CONTEST_SIZE,
        }),
    ],
    ['liveDeadline', () => liveDeadline(server)],
  ];
  for (const [name, run] of parts.filter(([name]) => !ONLY || ONLY.includes(name))) {
    try {
      result[name] = await run();
    } catch (err) {
      check(`${name} ran to the end`, false, err instanceof Error ? err.message : String(err));
      // Whatever state the failure left, the next part needs a running server.
      if (!server.running) await server.start().catch(() => undefined);
    } finally {
      for (const s of allSockets.splice(0)) s.close();
    }
  }
  part = 'all';
  check('no 5xx response', fiveXX.length === 0, fiveXX.slice(0, 5).join('; '));
  const failed = checks.filter((c) => !c.ok);
  result.checks = checks;
  result.ok = failed.length === 0;
  mkdirSync(join(ROOT, 'test/system/results'), { recursive: true });
  writeFileSync(join(ROOT, 'test/system/results/crash.json'), `${JSON.stringify(result, null, 2)}\n`);
  console.log(
    `\n${checks.length - failed.length}/${checks.length} checks passed; results: test/system/results/crash.json`,
  );
  if (failed.length) {
    console.error(
      `FAILED:\n${failed.map((c) => `  - [${c.part}] ${c.name}${c.detail ? `: ${c.detail}` : ''}`).join('\n')}`,
    );
    return 1;
  }
  return 0;
});
