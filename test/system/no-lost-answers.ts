/**
 * No lost answers under load: N concurrent students (300 by default) each answer every
 * question (10) of a self-paced session over HTTP against a real local server (`wrangler dev`,
 * D1, started and stopped by this script on 127.0.0.1), with deliberate duplicate submissions,
 * client-side timeouts followed by retries of the same answer, and late retries of an answer
 * already acknowledged. Then D1 is read back and checked:
 *
 * - every acknowledged (student, question) is stored exactly once, with the points and verdict the
 *   acknowledgement carried (and every acknowledgement of the same answer carried the same);
 * - nothing is stored that was never acknowledged;
 * - each student's score, correct count and position equal the sum / count of their stored answers,
 *   every student finished, and the teacher's report says the same;
 * - no request got a 5xx (nor any other error status: every request here is a valid one).
 *
 * Why: a whole class answers at once over school Wi-Fi, where taps are doubled and requests time
 * out and are sent again; none of that may lose an answer or score one twice.
 *
 *   npm run test:load -- [--students 300] [--questions 10] [--connections 32] [--dup-rate 0.1]
 *                         [--timeout-rate 0.1] [--late-retry-rate 0.05] [--port N] [--timeout-s 900] [--verbose]
 *
 * All students play at once; their requests share a pool of keep-alive connections (32 by default),
 * so a request may wait for a connection on the client side: latencies are given both ways
 * (`ms`: as the student's device sees it; `wireMs`: from having a connection to the response).
 *
 * Prints a summary (requests, acknowledgements, errors by status, latency p50/p95 per route) and
 * writes test/system/results/no-lost-answers.json. Exits 1 on any violation.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { rightResponse, servedQuestion, wrongResponse } from '../support/answers';
import { HttpClient, NoResponse, type HttpResult } from '../support/http';
import { ROOT } from '../support/process';
import { LocalServer, main, storedParticipants } from '../support/local-server';
import { stats } from '../support/stats';
import { option, pool, sleep } from '../support/util';
import type { AnswerResult, CreatedSession, Joined, PlayState } from '../../worker/contract';

// Options --------------------------------------------------------------------------------------

const argv = process.argv.slice(2);
/** A number option (fractions allowed: the rates are). */
const numberOption = (name: string, fallback: number, min: number, max: number) =>
  option(name, fallback, min, max, false);
const STUDENTS = numberOption('students', 300, 1, 1000);
const QUESTIONS = numberOption('questions', 10, 1, 50);
const DUP_RATE = numberOption('dup-rate', 0.1, 0, 1);
const TIMEOUT_RATE = numberOption('timeout-rate', 0.1, 0, 1);
const LATE_RETRY_RATE = numberOption('late-retry-rate', 0.05, 0, 1);
/**
 * Simultaneous HTTP connections to the server (keep-alive, shared by all students; a request waits
 * for a free one). Past ~150 the local dev proxy of `wrangler dev` starts answering POSTs with its
 * own 503 ("Your worker restarted mid-request", though nothing restarted) and workerd resets some
 * keep-alive connections past ~256 open ones. `--connections 300` shows it (nothing is lost either way).
 */
const CONNECTIONS = numberOption('connections', 32, 1, 2000);
const PORT = argv.includes('--port') ? numberOption('port', 0, 1024, 65535) : undefined;
const TIMEOUT_S = numberOption('timeout-s', 900, 60, 3600);
const VERBOSE = argv.includes('--verbose');
/** A normal request's client-side timeout: long, so that only real hangs count. */
const REQUEST_TIMEOUT_MS = 30_000;
/** Attempts of one request before the student gives up (each failure is recorded). */
const MAX_ATTEMPTS = 8;

// Records ------------------------------------------------------------------------------------------

interface Ack {
  nickname: string;
  /** The session's id the student answered by. */
  questionId: string;
  /** The question's id in D1. */
  bankId: string;
  /** How this acknowledgement came: first try, a duplicate sent at the same time, a retry after a client timeout, or a late retry. */
  kind: 'normal' | 'duplicate' | 'retry' | 'late';
  repeated: boolean;
  correct: boolean;
  points: number;
  timeMs: number;
}

const violations: string[] = [];
const violation = (message: string) => {
  if (violations.length < 1000) violations.push(message);
  if (VERBOSE) console.error(`violation: ${message}`);
};
const acks: Ack[] = [];
const counters = {
  duplicatesSent: 0,
  clientTimeouts: 0,
  networkErrors: 0,
  retries: 0,
  lateRetries: 0,
  nullResponses: 0,
};

// Students ------------------------------------------------------------------------------------------

interface Student {
  nickname: string;
  token: string;
}

/**
 * Sends a request until it gets a 2xx (retrying after no response or a 5xx, as a real client would),
 * at most {@link MAX_ATTEMPTS} times. Non-2xx answers are recorded as violations.
 */
async function untilOk<T>(
  what: string,
  send: (attempt: number) => Promise<HttpResult<T>>,
  onRetry?: () => void,
): Promise<HttpResult<T> | null> {
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    if (attempt > 1) {
      counters.retries++;
      onRetry?.();
      await sleep(Math.min(2000, 50 * 2 ** attempt) * (0.5 + Math.random()));
    }
    try {
      const res = await send(attempt);
      if (res.status >= 200 && res.status < 300) return res;
      violation(`${what}: ${res.status} ${res.text.slice(0, 200)}`);
      if (res.status < 500) return null;
    } catch (err) {
      if (!(err instanceof NoResponse)) throw err;
      if (err.reason === 'timeout') counters.clientTimeouts++;
      else counters.networkErrors++;
    }
  }
  violation(`${what}: no 2xx after ${MAX_ATTEMPTS} attempts`);
  return null;
}

function recordAck(
  student: Student,
  { questionId, bankId }: Pick<Ack, 'questionId' | 'bankId'>,
  kind: Ack['kind'],
  res: HttpResult<AnswerResult>,
): Ack | null {
  const body = res.json;
  if (!body || body.questionId !== questionId || !body.verdict) {
    violation(`${student.nickname} ${questionId}: acknowledgement without a verdict: ${res.text.slice(0, 200)}`);
    return null;
  }
  const ack: Ack = {
    nickname: student.nickname,
    questionId,
    bankId,
    kind,
    repeated: body.repeated,
    correct: body.verdict.correct,
    points: body.verdict.points,
    timeMs: body.verdict.timeMs,
  };
  acks.push(ack);
  return ack;
}

async function play(http: HttpClient, student: Student): Promise<void> {
  const answered: string[] = [];
  let late: { questionId: string; body: unknown; first: Ack } | null = null;
  for (let guard = 0; guard < QUESTIONS + 5; guard++) {
    const st = await untilOk<PlayState>(`${student.nickname} GET /api/play`, () =>
      http.get('/api/play', { token: student.token, timeoutMs: REQUEST_TIMEOUT_MS }),
    );
    if (!st) return;
    // A late retry of the previous answer, sent after the next question was served: the first result comes back.
    if (late) {
      const { questionId, body, first } = late;
      late = null;
      counters.lateRetries++;
      const res = await untilOk<AnswerResult>(`${student.nickname} late retry ${questionId}`, () =>
        http.post('/api/play/answers', body, { token: student.token, timeoutMs: REQUEST_TIMEOUT_MS }),
      );
      const again = res && recordAck(student, first, 'late', res);
      if (again && (!again.repeated || again.points !== first.points || again.correct !== first.correct))
        violation(
          `${student.nickname} ${questionId}: late retry got ${JSON.stringify(again)} after ${JSON.stringify(first)}`,
        );
    }
    const current = st.json.current;
    if (!current) {
      if (!st.json.me.finished)
        violation(`${student.nickname}: no current question but not finished: ${st.text.slice(0, 200)}`);
      if (answered.length !== QUESTIONS)
        violation(`${student.nickname}: finished after ${answered.length} of ${QUESTIONS} answers`);
      return;
    }
    if (current.position !== answered.length)
      violation(
        `${student.nickname}: served position ${current.position} after ${answered.length} acknowledged answers`,
      );
    const { bankId, key: q } = servedQuestion(current.question);
    const asked = { questionId: q.id, bankId };
    const roll = Math.random();
    const response = roll < 0.05 ? null : roll < 0.6 ? rightResponse(q) : wrongResponse(q);
    if (response === null) counters.nullResponses++;
    const body = { questionId: q.id, response };
    const post = (timeoutMs = REQUEST_TIMEOUT_MS) =>
      http.post<AnswerResult>('/api/play/answers', body, { token: student.token, timeoutMs });

    let first: Ack | null = null;
    const mode = Math.random();
    if (mode < DUP_RATE) {
      // A double tap: the same answer two or three times at once.
      const copies = 2 + Math.floor(Math.random() * 2);
      counters.duplicatesSent += copies - 1;
      const results = await Promise.allSettled(Array.from({ length: copies }, () => post()));
      for (const r of results) {
        if (r.status === 'rejected') {
          if (r.reason instanceof NoResponse)
            counters[r.reason.reason === 'timeout' ? 'clientTimeouts' : 'networkErrors']++;
          else throw r.reason;
        } else if (r.value.status >= 200 && r.value.status < 300) {
          const ack = recordAck(student, asked, 'duplicate', r.value);
          first ??= ack;
        } else
          violation(`${student.nickname} duplicate answer ${q.id}: ${r.value.status} ${r.value.text.slice(0, 200)}`);
      }
    } else if (mode < DUP_RATE + TIMEOUT_RATE) {
      // A flaky network: the client gives up on the first try after a few milliseconds (the server
      // may or may not have stored it), then retries the same answer.
      try {
        const res = await post(1 + Math.floor(Math.random() * 40));
        if (res.status >= 200 && res.status < 300) first = recordAck(student, asked, 'normal', res);
        else violation(`${student.nickname} answer ${q.id}: ${res.status} ${res.text.slice(0, 200)}`);
      } catch (err) {
        if (!(err instanceof NoResponse)) throw err;
        counters[err.reason === 'timeout' ? 'clientTimeouts' : 'networkErrors']++;
      }
    }
    if (!first) {
      const kind: Ack['kind'] = mode < DUP_RATE + TIMEOUT_RATE ? 'retry' : 'normal';
      const res = await untilOk<AnswerResult>(`${student.nickname} answer ${q.id}`, () => post());
      if (!res) return;
      first = recordAck(student, asked, kind, res);
    }
    if (!first) return;
    answered.push(q.id);
    if (Math.random() < LATE_RETRY_RATE) late = { questionId: q.id, body, first };
  }
  violation(`${student.nickname}: still not finished after ${QUESTIONS + 5} rounds`);
}

// Verification ------------------------------------------------------------------------------------

interface StoredAnswer {
  nickname: string;
  question_id: string;
  points: number;
  correct: number;
  position: number;
  time_ms: number;
}

async function verify(server: LocalServer, http: HttpClient, session: CreatedSession, students: Student[]) {
  // The session's play room copies answers to D1 shortly after acknowledging them; a teacher read
  // has it copy what it still holds (worker/rooms/play-room.ts).
  const settled = await http.get(`/api/sessions/${session.id}`, { token: session.teacherKey, timeoutMs: 60_000 });
  if (settled.status !== 200) violation(`teacher view: ${settled.status} ${settled.text.slice(0, 200)}`);
  const sid = session.id.replace(/'/g, "''");
  const stored = await server.d1<StoredAnswer>(
    `SELECT p.nickname, a.question_id, a.points, a.correct, a.position, a.time_ms FROM answers a JOIN participants p ON p.id = a.participant_id WHERE a.session_id = '${sid}'`,
  );
  const dups = await server.d1<{ participant_id: string; question_id: string; n: number }>(
    `SELECT participant_id, question_id, count(*) AS n FROM answers WHERE session_id = '${sid}' GROUP BY participant_id, question_id HAVING count(*) > 1`,
  );
  const people = await storedParticipants(server, session.id);

  for (const d of dups) violation(`D1 holds ${d.n} rows for ${d.participant_id}/${d.question_id}`);
  const key = (nickname: string, questionId: string) => `${nickname}\u0000${questionId}`;
  const rows = new Map<string, StoredAnswer[]>();
  for (const r of stored)
    rows.set(key(r.nickname, r.question_id), [...(rows.get(key(r.nickname, r.question_id)) ?? []), r]);

  // Every acknowledgement is in D1 exactly once, with the acknowledged result.
  const acked = new Map<string, Ack[]>();
  for (const a of acks) acked.set(key(a.nickname, a.bankId), [...(acked.get(key(a.nickname, a.bankId)) ?? []), a]);
  let firstAcks = 0;
  let doubleFirstAcks = 0;
  /** Which acknowledgements of one answer both said `repeated: false` (e.g. `duplicate+duplicate`). */
  const doubleFirstByKinds: Record<string, number> = {};
  for (const [k, list] of acked) {
    const found = rows.get(k) ?? [];
    const [nickname, questionId] = k.split('\u0000');
    if (found.length !== 1) {
      violation(`acknowledged answer ${nickname}/${questionId} is stored ${found.length} times`);
      continue;
    }
    const row = found[0]!;
    for (const a of list)
      if (a.points !== row.points || a.correct !== (row.correct === 1) || a.timeMs !== row.time_ms)
        violation(
          `${nickname}/${questionId}: acknowledged ${JSON.stringify({ points: a.points, correct: a.correct, timeMs: a.timeMs })} (${a.kind}) but D1 has ${JSON.stringify(row)}`,
        );
    const fresh = list.filter((a) => !a.repeated);
    if (fresh.length >= 1) firstAcks++;
    if (fresh.length > 1) {
      doubleFirstAcks++;
      const kinds = fresh
        .map((a) => a.kind)
        .sort()
        .join('+');
      doubleFirstByKinds[kinds] = (doubleFirstByKinds[kinds] ?? 0) + 1;
    }
  }
  // Nothing stored that no one acknowledged (every student retried until acknowledged).
  for (const k of rows.keys())
    if (!acked.has(k)) violation(`D1 holds an answer never acknowledged: ${k.replace('\u0000', '/')}`);

  // Totals equal the stored answers; everyone finished.
  const byName = new Map(people.map((p) => [p.nickname, p]));
  if (people.length !== students.length) violation(`D1 holds ${people.length} participants, ${students.length} joined`);
  for (const s of students) {
    const p = byName.get(s.nickname);
    if (!p) {
      violation(`${s.nickname} is missing from D1`);
      continue;
    }
    if (p.score !== p.pts) violation(`${s.nickname}: score ${p.score} ≠ sum of stored points ${p.pts}`);
    if (p.correct_count !== p.c)
      violation(`${s.nickname}: correct_count ${p.correct_count} ≠ stored right answers ${p.c}`);
    if (p.position !== p.n) violation(`${s.nickname}: position ${p.position} ≠ stored answers ${p.n}`);
    if (p.n !== QUESTIONS || !p.finished) violation(`${s.nickname}: ${p.n} answers stored, finished=${p.finished}`);
  }
  const positions = new Map<string, number[]>();
  for (const r of stored) positions.set(r.nickname, [...(positions.get(r.nickname) ?? []), r.position]);
  for (const [nickname, list] of positions)
    if ([...list].sort((a, b) => a - b).join() !== Array.from({ length: QUESTIONS }, (_, i) => i).join())
      violation(`${nickname}: stored positions ${list.join(',')}`);

  // The teacher's report (another read path) agrees with D1.
  const report = await http.get<{ students: { nickname: string; score: number; answers: unknown[] }[] }>(
    `/api/sessions/${session.id}/report`,
    {
      token: session.teacherKey,
      timeoutMs: 60_000,
    },
  );
  if (report.status !== 200) violation(`teacher report: ${report.status} ${report.text.slice(0, 200)}`);
  else
    for (const s of report.json.students) {
      const p = byName.get(s.nickname);
      if (!p || p.score !== s.score || s.answers.length !== p.n)
        violation(
          `teacher report for ${s.nickname}: score ${s.score}, ${s.answers.length} answers; D1 ${p?.score}, ${p?.n}`,
        );
    }
  return {
    storedAnswers: stored.length,
    participants: people.length,
    acknowledgedAnswers: acked.size,
    firstAcks,
    doubleFirstAcks,
    doubleFirstByKinds,
    duplicateRows: dups.length,
  };
}

// Main ----------------------------------------------------------------------------------------------

main('no-lost-answers', TIMEOUT_S * 1000, async () => {
  console.log(`no-lost-answers: ${STUDENTS} students × ${QUESTIONS} questions; preparing a local server…`);
  const server = await LocalServer.create({ label: 'load', port: PORT, verbose: VERBOSE });
  server.onUnexpectedExit = (why) => violation(`server: ${why}`);
  const startMs = await server.start();
  console.log(`wrangler dev ready on ${server.base} in ${startMs} ms (state: ${server.persist})`);
  const http = new HttpClient(server.base, CONNECTIONS);

  const created = await http.post<CreatedSession>('/api/sessions', {
    title: 'No lost answers',
    count: QUESTIONS,
    timeLimitSec: 600,
    maxPlayers: Math.min(1000, STUDENTS + 50),
    seatsPerNetwork: Math.min(1000, STUDENTS + 50),
    shuffleQuestions: true,
    shuffleOptions: true,
  });
  if (created.status !== 201) throw new Error(`opening the session failed: ${created.status} ${created.text}`);
  const session = created.json;
  if (session.questionCount !== QUESTIONS)
    throw new Error(`the session has ${session.questionCount} questions, not ${QUESTIONS}`);

  // Joins: all at once (the session allows 600 per minute).
  const joinStarted = performance.now();
  const joined = await pool(
    Array.from({ length: STUDENTS }, (_, i) => `s${String(i + 1).padStart(4, '0')}`),
    STUDENTS,
    async (nickname) => {
      const res = await http
        .post<Joined>(`/api/codes/${session.code}/participants`, { nickname }, { timeoutMs: 60_000 })
        .catch((err: unknown) => {
          if (err instanceof NoResponse) return null;
          throw err;
        });
      if (!res || res.status !== 201) {
        violation(`join ${nickname}: ${res ? `${res.status} ${res.text.slice(0, 200)}` : 'no response'}`);
        return null;
      }
      return { nickname, token: res.json.token } satisfies Student;
    },
  );
  const joinMs = performance.now() - joinStarted;
  const students = joined.filter((s): s is Student => s !== null);
  console.log(
    `${students.length} students joined in ${Math.round(joinMs)} ms; playing over ${CONNECTIONS} keep-alive connections…`,
  );

  // Play: every student at once, each one request at a time (plus deliberate duplicates).
  const playStarted = performance.now();
  let finished = 0;
  const progress = setInterval(
    () => console.log(`  … ${acks.length} acknowledgements, ${finished}/${students.length} students done`),
    10_000,
  );
  await Promise.all(
    students.map((s) =>
      play(http, s)
        .catch((err: unknown) => violation(`${s.nickname}: ${err instanceof Error ? err.message : String(err)}`))
        .finally(() => finished++),
    ),
  );
  clearInterval(progress);
  const playMs = performance.now() - playStarted;
  const serverUp = server.running;

  console.log('reading D1 back…');
  const checked = await verify(server, http, session, students);
  http.close();

  // Summary.
  const samples = http.samples;
  const byRoute = new Map<string, number[]>();
  const wireByRoute = new Map<string, number[]>();
  const byStatus: Record<string, number> = {};
  for (const s of samples) {
    const route = s.route.startsWith('POST /api/codes/')
      ? 'POST /api/codes/:code/participants'
      : s.route.startsWith('GET /api/sessions/')
        ? 'GET /api/sessions/:id/report'
        : s.route;
    if (s.status > 0) byRoute.set(route, [...(byRoute.get(route) ?? []), s.ms]);
    if (s.status > 0) wireByRoute.set(route, [...(wireByRoute.get(route) ?? []), s.wireMs]);
    const label = s.status === 0 ? 'no response' : String(s.status);
    byStatus[label] = (byStatus[label] ?? 0) + 1;
  }
  const fiveXX = samples.filter((s) => s.status >= 500).length;
  // The Worker's own errors are JSON ({"error":…}); anything else came from wrangler's dev proxy.
  const fiveXXBySource = { worker: 0, devProxy: 0 };
  for (const s of samples) if (s.status >= 500) fiveXXBySource[s.errorText?.startsWith('{') ? 'worker' : 'devProxy']++;
  if (fiveXX > 0)
    violation(
      `${fiveXX} responses with a 5xx status (from the Worker: ${fiveXXBySource.worker}, from wrangler's dev proxy: ${fiveXXBySource.devProxy})`,
    );
  if (!serverUp) violation('the server was not running at the end of the load');
  const playSamples = samples.filter((s) => s.route === 'GET /api/play' || s.route === 'POST /api/play/answers');
  const latency = Object.fromEntries([...byRoute].map(([route, ms]) => [route, stats(ms)]));
  const wireLatency = Object.fromEntries([...wireByRoute].map(([route, ms]) => [route, stats(ms)]));
  const result = {
    date: new Date().toISOString(),
    machine: { cpus: cpus().length, node: process.version },
    students: STUDENTS,
    questions: QUESTIONS,
    connections: CONNECTIONS,
    rates: { duplicate: DUP_RATE, clientTimeout: TIMEOUT_RATE, lateRetry: LATE_RETRY_RATE },
    join: { wallMs: Math.round(joinMs), joined: students.length },
    play: {
      wallMs: Math.round(playMs),
      requests: playSamples.length,
      requestsPerSecond: Math.round((playSamples.filter((s) => s.status > 0).length / playMs) * 1000),
    },
    requests: samples.length,
    statuses: byStatus,
    fiveXX,
    fiveXXBySource,
    counters,
    acknowledgements: acks.length,
    acknowledgementsByKind: acks.reduce<Record<string, number>>((m, a) => ((m[a.kind] = (m[a.kind] ?? 0) + 1), m), {}),
    checked,
    retriesStoredAnyway: acks.filter((a) => a.kind === 'retry' && a.repeated).length,
    latencyMs: latency,
    wireLatencyMs: wireLatency,
    violations: violations.length,
    firstViolations: violations.slice(0, 50),
    ok: violations.length === 0,
  };
  mkdirSync(join(ROOT, 'test/system/results'), { recursive: true });
  writeFileSync(join(ROOT, 'test/system/results/no-lost-answers.json'), `${JSON.stringify(result, null, 2)}\n`);

  const fmt = (s: { p50: number; p95: number; max: number; n: number }) =>
    `p50 ${s.p50} ms, p95 ${s.p95} ms, max ${s.max} ms (n=${s.n})`;
  console.log('');
  console.log(
    `requests: ${samples.length} (${Object.entries(byStatus)
      .map(([k, v]) => `${k}: ${v}`)
      .join(', ')})`,
  );
  console.log(
    `play: ${playSamples.length} requests in ${(playMs / 1000).toFixed(1)} s (${result.play.requestsPerSecond} req/s)`,
  );
  console.log(
    `acknowledgements: ${acks.length} for ${checked.acknowledgedAnswers} answers (${Object.entries(
      result.acknowledgementsByKind,
    )
      .map(([k, v]) => `${k} ${v}`)
      .join(', ')}); ` + `stored in D1: ${checked.storedAnswers}; duplicate rows: ${checked.duplicateRows}`,
  );
  console.log(
    `sent: ${counters.duplicatesSent} deliberate duplicates, ${counters.clientTimeouts} client timeouts, ${counters.networkErrors} network errors, ${counters.retries} retries after a failure, ${counters.lateRetries} late retries`,
  );
  const storedAnyway = acks.filter((a) => a.kind === 'retry' && a.repeated).length;
  console.log(
    `client timeouts whose answer the server stored anyway (the retry got repeated=true): ${storedAnyway} of ${result.acknowledgementsByKind.retry ?? 0}`,
  );
  if (checked.doubleFirstAcks)
    console.log(
      `note: ${checked.doubleFirstAcks} answers got more than one acknowledgement with repeated=false (nothing scored twice): ${JSON.stringify(checked.doubleFirstByKinds)}`,
    );
  for (const [route, s] of Object.entries(latency))
    console.log(
      `${route}: ${fmt(s)}; on the wire p50 ${wireLatency[route]!.p50} ms, p95 ${wireLatency[route]!.p95} ms`,
    );
  console.log(
    `5xx: ${fiveXX} (from the Worker: ${fiveXXBySource.worker}, from wrangler's dev proxy: ${fiveXXBySource.devProxy})`,
  );
  console.log(`results: test/system/results/no-lost-answers.json`);
  if (violations.length) {
    console.error(`\nFAILED: ${violations.length} violation(s):`);
    for (const v of violations.slice(0, 30)) console.error(`  - ${v}`);
    return 1;
  }
  console.log('\nOK: every acknowledged answer is in D1 exactly once, scores match, no 5xx.');
  return 0;
});
