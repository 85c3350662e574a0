/**
 * `npm run bench`: speed and cost of the student's paths, measured on this machine.
 *
 *   npm run bench [-- --quick] [-- --worker <git rev>] [-- --skip lighthouse,contest,live]
 *
 * Starts the product itself (test/support/local-server.ts: `wrangler dev` serving the deploy
 * bundle, a fresh local D1, a fresh web build), seeds what it needs over the API, runs, stops everything it
 * started, and writes bench/results/latest.json and bench/results/latest.md.
 *
 * Every HTTP scenario runs side by side with a trivial route (GET /api/health, no D1) in the same
 * run, just before and just after it with the same connections; the figure that matters is the
 * ratio scenario ÷ trivial, which survives a noisy machine. Scenarios:
 *  1. join burst: 500 students join one session, each starting at a random moment within 2 s
 *     (at most 100 requests in flight, see BURST_IN_FLIGHT): the time until all have joined;
 *     then joins under 50 connections (1 500 students of 3 more sessions), goal ratio ≥ 0.5;
 *  2. answer submission under 50 connections (every request a real first answer: 2 000 students
 *     of 4 sessions, each served their question beforehand), goal ratio ≥ 0.5;
 *  3. next question (GET /api/play) under 50 connections;
 *  4. leaderboard read (what the results screen asks) in a session of 500 participants;
 *  5. Lighthouse 12.2.3, mobile profile, on the student join page (goal ≥ 95 performance and accessibility);
 *  6. a contest: bench/contest-load.ts (2 000 players in one contest session: 5 live rooms under a
 *     coordinator, each answer checked in D1 afterwards, beside a bare Durable Object baseline);
 *  7. the live game: bench/live-load.ts (500 players; wrangler dev and Miniflare, each beside a bare
 *     Durable Object baseline).
 * 6 and 7 run as they are, each in a process of its own with its own server, after this server is
 * stopped (they do not compete for the cores).
 *
 * `--worker <rev>` serves the Worker (and D1 schema, seed) of a commit instead of the working tree,
 * for before/after ratios; `--quick` shortens everything for a smoke run.
 * `--port N` puts the bench's server on port N and the scripts' (6, 7) on N + 1 (free ports otherwise);
 * `--out <path>` writes `<path>.json` and `<path>.md` instead of bench/results/latest.*.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { KB, gzipSize, webBytes, type WebBytes } from '../test/support/bytes';
import { api, load, postJson, type LoadResult } from './load';
import { stats, type Stats } from '../test/support/stats';
import { anyResponse, pool, sleep, type StudentQuestion } from '../test/support/util';
import { startServer, type LocalServer } from '../test/support/local-server';
import type { ContestReport } from './contest-load';
import { freePort, OFFLINE_ENV, ROOT, stopTree } from '../test/support/process';

// Options -------------------------------------------------------------------------------------

const argv = process.argv.slice(2);
const flag = (name: string) => argv.includes(`--${name}`);
const value = (name: string) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv[i + 1] : undefined;
};
const QUICK = flag('quick');
const WORKER_REV = value('worker');
const SKIP = new Set((value('skip') ?? '').split(',').filter(Boolean));
const PORT = value('port') ? Number(value('port')) : undefined;
const OUT = value('out') ?? join(ROOT, 'bench/results/latest');

const CONNECTIONS = 50;
const DURATION_S = QUICK ? 3 : 10;
const TRIVIAL_S = QUICK ? 2 : 5;
const CLASS = QUICK ? 100 : 500;
/** Sessions whose students answer in scenario 2 (the join-burst class is one of them). */
const ANSWER_SESSIONS = QUICK ? 2 : 4;
const BURST_SPREAD_MS = 2000;
const CHROMIUM = process.env.CHROME_PATH ?? '/usr/bin/chromium';

const round = (x: number, d = 2) => Math.round(x * 10 ** d) / 10 ** d;
const load1 = () => loadavg().map((x) => round(x));

// Cleanup ---------------------------------------------------------------------------------------

let server: LocalServer | null = null;
const cleanups: (() => Promise<void>)[] = [];
async function cleanup() {
  while (cleanups.length) await cleanups.pop()!().catch(() => undefined);
  if (server) await server.stop();
  server = null;
}
async function die(message: string): Promise<never> {
  console.error(`bench: ${message}`);
  await cleanup();
  process.exit(1);
}
process.on('SIGINT', () => void die('interrupted'));
process.on('SIGTERM', () => void die('terminated'));
const watchdog = setTimeout(() => void die('gave up after 30 minutes'), 30 * 60_000);

// Scenarios -----------------------------------------------------------------------------------

/** A load run with the server's CPU time per response (workerd: Worker, D1 and Durable Objects), a figure the machine's noise hardly moves. */
type Measured = LoadResult & { serverCpuMsPerRequest: number };

async function measured(run: () => Promise<LoadResult>): Promise<Measured> {
  const cpu = server!.cpuMs();
  const result = await run();
  return { ...result, serverCpuMsPerRequest: round((server!.cpuMs() - cpu) / Math.max(1, result.requests)) };
}

interface Paired {
  scenario: Measured;
  /** GET /api/health just before and just after, same connections. */
  trivial: { before: Measured; after: Measured; rps: number; latencyP50: number; serverCpuMsPerRequest: number };
  /** scenario rps ÷ trivial rps. */
  ratio: number;
  /** trivial CPU per request ÷ scenario CPU per request (the same ratio, counted in server CPU instead of time). */
  cpuRatio: number;
}

const trivial = (base: string) =>
  measured(() => load({ base, connections: CONNECTIONS, duration: TRIVIAL_S, path: '/api/health' }));

/** Runs `scenario` between two runs of the trivial route. */
async function paired(base: string, name: string, scenario: () => Promise<LoadResult>): Promise<Paired> {
  const before = await trivial(base);
  const result = await measured(scenario);
  const after = await trivial(base);
  const rps = round((before.rps + after.rps) / 2, 1);
  const trivialCpu = round((before.serverCpuMsPerRequest + after.serverCpuMsPerRequest) / 2);
  const out: Paired = {
    scenario: result,
    trivial: {
      before,
      after,
      rps,
      latencyP50: round((before.latencyMs.p50 + after.latencyMs.p50) / 2, 1),
      serverCpuMsPerRequest: trivialCpu,
    },
    ratio: round(result.rps / rps),
    cpuRatio: round(trivialCpu / result.serverCpuMsPerRequest),
  };
  console.log(
    `${name}: ${result.rps} req/s (p50 ${result.latencyMs.p50} ms, p95 ${result.latencyMs.p95}, p99 ${result.latencyMs.p99}; non-2xx ${result.non2xx}, errors ${result.errors}; server CPU ${result.serverCpuMsPerRequest} ms/req) vs health ${rps} req/s (${trivialCpu} ms/req) → ratio ${out.ratio}, CPU ratio ${out.cpuRatio}`,
  );
  return out;
}

interface Session {
  id: string;
  code: string;
  teacherKey: string;
}
const openSession = (base: string, title: string) =>
  api<Session>(base, '/api/sessions', {
    body: { title, count: 5, timeLimitSec: 60, maxPlayers: 1000, seatsPerNetwork: 1000 },
  });

interface Burst {
  students: number;
  spreadMs: number;
  /** First request sent → last student joined. */
  allJoinedMs: number;
  perRequestMs: Stats;
  errors: number;
  errorSamples: string[];
  joinsPerSecond: number;
}

/**
 * At most this many joins in flight. wrangler dev's own proxy (a Durable Object in front of the
 * Worker) fails some requests when several hundred wait at once, answering 503 "Your worker
 * restarted mid-request" although nothing restarted; the edge has no such proxy. 100 in flight
 * still queues the burst (the local server takes 50–100 joins a second) without that artefact.
 */
const BURST_IN_FLIGHT = 100;

/** `n` students join one session, each deciding to join at a random moment within `spreadMs`. */
async function joinBurst(
  base: string,
  code: string,
  n: number,
  spreadMs: number,
): Promise<{ burst: Burst & { maxInFlight: number }; tokens: string[] }> {
  const times: number[] = [];
  const errors: string[] = [];
  const tokens: string[] = [];
  let inFlight = 0;
  const waiting: (() => void)[] = [];
  const start = performance.now();
  await Promise.all(
    Array.from({ length: n }, async (_, i) => {
      await sleep(Math.random() * spreadMs);
      const t = performance.now(); // the student pressed Join: a wait for a free slot counts too
      while (inFlight >= BURST_IN_FLIGHT) await new Promise<void>((resolve) => waiting.push(resolve));
      inFlight++;
      try {
        const joined = await postJson<{ token: string }>(base, `/api/codes/${code}/participants`, {
          nickname: `Student ${i + 1}`,
        });
        tokens.push(joined.token);
      } catch (err) {
        errors.push(String(err instanceof Error ? err.message : err));
      } finally {
        inFlight--;
        waiting.shift()?.();
      }
      times.push(performance.now() - t);
    }),
  );
  const allJoinedMs = Math.round(performance.now() - start);
  return {
    burst: {
      students: n,
      spreadMs,
      allJoinedMs,
      perRequestMs: stats(times),
      errors: errors.length,
      errorSamples: errors.slice(0, 3),
      joinsPerSecond: round(n / (allJoinedMs / 1000), 1),
      maxInFlight: BURST_IN_FLIGHT,
    },
    tokens,
  };
}

interface Lighthouse {
  url: string;
  performance: number | null;
  accessibility: number | null;
  metrics: Record<string, number | null>;
  scriptTransferBytes: number | null;
  error?: string;
}

/** Lighthouse 12.2.3 (mobile profile, simulated throttling) on `url`, in its own process group. */
async function lighthouse(url: string): Promise<Lighthouse> {
  const dir = mkdtempSync(join(tmpdir(), 'pomegranate-lighthouse-'));
  const report = join(dir, 'report.json');
  try {
    if (!existsSync(CHROMIUM)) throw new Error(`Chromium is missing at ${CHROMIUM}`);
    const child = spawn(
      'npx',
      [
        'lighthouse',
        url,
        '--form-factor=mobile',
        '--only-categories=performance,accessibility',
        '--output=json',
        `--output-path=${report}`,
        '--quiet',
        '--chrome-flags=--headless=new --no-sandbox --disable-gpu --disable-background-networking --disable-component-update --disable-sync --no-first-run',
      ],
      {
        cwd: ROOT,
        env: { ...OFFLINE_ENV, CHROME_PATH: CHROMIUM },
        detached: true,
        stdio: ['ignore', 'ignore', 'pipe'],
      },
    );
    let stderr = '';
    child.stderr!.on('data', (d) => (stderr = (stderr + String(d)).slice(-2000)));
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    const timer = setTimeout(() => void stopTree(child), 180_000);
    const code = await exited;
    clearTimeout(timer);
    await stopTree(child, 2000); // Chromium, should Lighthouse have left it behind.
    if (!existsSync(report))
      throw new Error(`lighthouse exited ${code}: ${stderr.trim().split('\n').slice(-3).join(' | ')}`);
    const lhr = JSON.parse(readFileSync(report, 'utf8'));
    const score = (c: string) =>
      lhr.categories?.[c]?.score == null ? null : Math.round(lhr.categories[c].score * 100);
    const metric = (id: string) =>
      lhr.audits?.[id]?.numericValue == null ? null : Math.round(lhr.audits[id].numericValue);
    const items: { resourceType?: string; transferSize?: number }[] =
      lhr.audits?.['network-requests']?.details?.items ?? [];
    return {
      url,
      performance: score('performance'),
      accessibility: score('accessibility'),
      metrics: {
        firstContentfulPaintMs: metric('first-contentful-paint'),
        largestContentfulPaintMs: metric('largest-contentful-paint'),
        totalBlockingTimeMs: metric('total-blocking-time'),
        speedIndexMs: metric('speed-index'),
        cumulativeLayoutShiftX1000:
          lhr.audits?.['cumulative-layout-shift']?.numericValue == null
            ? null
            : Math.round(lhr.audits['cumulative-layout-shift'].numericValue * 1000),
      },
      scriptTransferBytes: items
        .filter((i) => i.resourceType === 'Script')
        .reduce((n, i) => n + (i.transferSize ?? 0), 0),
    };
  } catch (err) {
    return {
      url,
      performance: null,
      accessibility: null,
      metrics: {},
      scriptTransferBytes: null,
      error: String(err instanceof Error ? err.message : err),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A bench script run in a process of its own: the JSON report it wrote, or why it failed. */
interface ScriptRun {
  ok: boolean;
  report?: Record<string, unknown>;
  error?: string;
}

/**
 * `npx tsx <script> …args` in a process of its own (its own server on a port of its own), bounded
 * in time; its report is `resultFile` as the run left it (a file older than the run is a failure).
 * A script that wrote its report and exited 1 (a check failed) still gives its figures.
 */
async function benchScript(script: string, args: string[], resultFile: string, timeoutMs: number): Promise<ScriptRun> {
  const file = join(ROOT, resultFile);
  const before = existsSync(file) ? statSync(file).mtimeMs : 0;
  // With --port N, the scripts' servers take N + 1 (one after the other), else any free port.
  const port = PORT ? PORT + 1 : await freePort();
  const child = spawn('npx', ['tsx', script, ...args, '--port', String(port)], {
    cwd: ROOT,
    env: OFFLINE_ENV,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const keep = (d: unknown) => (output = (output + String(d)).slice(-4000));
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  cleanups.push(() => stopTree(child));
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  const timer = setTimeout(() => void stopTree(child), timeoutMs);
  const code = await exited;
  clearTimeout(timer);
  await stopTree(child, 2000);
  const fresh = existsSync(file) && statSync(file).mtimeMs > before;
  const tail = output.trim().split('\n').slice(-4).join(' | ');
  if (!fresh) return { ok: false, error: `${script} exited ${code}: ${tail}` };
  const report = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  return code === 0 ? { ok: true, report } : { ok: false, report, error: `${script} exited ${code}: ${tail}` };
}

// The run ---------------------------------------------------------------------------------------

async function main() {
  const started = new Date();
  const machine = {
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? '?',
    node: process.version,
    loadavgAtStart: load1(),
  };
  console.log(
    `bench: ${machine.cpus} cores (${machine.cpuModel}), load average ${machine.loadavgAtStart.join(' ')}, Node ${machine.node}${QUICK ? ', quick run' : ''}`,
  );

  const boot = performance.now();
  server = await startServer({ label: 'bench', port: PORT, web: 'build', verbose: true, worker: { rev: WORKER_REV } });
  const base = server.base;
  console.log(
    `bench: wrangler dev ready on ${base} in ${((performance.now() - boot) / 1000).toFixed(1)} s (worker: ${WORKER_REV ?? 'working tree'}, web: ${server.web})`,
  );

  // Bytes, from what is being served.
  const workerGzip = gzipSize(readFileSync(server.bundleFile));
  let web: WebBytes | null = null;
  try {
    if (server.web !== 'none') web = webBytes(server.webDir);
  } catch {
    web = null;
  }
  const bytes = {
    web: server.web,
    studentEntryGzip: web?.studentGzip ?? null,
    studentChunks: web?.student.map((c) => ({ file: c.file, gzip: c.gzip })) ?? [],
    lazyChunksGzip: web?.lazyGzip ?? null,
    workerBundleGzip: workerGzip,
  };
  console.log(
    `bytes: student entry ${web ? KB(web.studentGzip) : 'n/a'} gz, lazy ${web ? KB(web.lazyGzip) : 'n/a'} gz, worker ${KB(workerGzip)} gz`,
  );

  // Warm-up: the isolate, D1 and the connections.
  await load({ base, connections: 10, duration: 1, path: '/api/health' });

  // 1. Join burst.
  const classA = await openSession(base, 'Class A');
  const burstTrivialBefore = await trivial(base);
  const burstCpu = server.cpuMs();
  const { burst, tokens: tokensA } = await joinBurst(base, classA.code, CLASS, BURST_SPREAD_MS);
  const burstCpuMsPerJoin = round((server.cpuMs() - burstCpu) / CLASS);
  const burstTrivialAfter = await trivial(base);
  const burstTrivialRps = round((burstTrivialBefore.rps + burstTrivialAfter.rps) / 2, 1);
  console.log(
    `join burst: ${burst.students} students in ${burst.allJoinedMs} ms (${burst.joinsPerSecond}/s; p50 ${burst.perRequestMs.p50} ms, p95 ${burst.perRequestMs.p95}, p99 ${burst.perRequestMs.p99}), errors ${burst.errors}`,
  );
  if (burst.errors) console.log(`  e.g. ${burst.errorSamples.join(' | ')}`);

  // 2. Answers: more classes (joined, not measured), then every student is served their first
  // question (GET /api/play starts its clock), so each measured POST is a real first answer.
  const others = await Promise.all(
    Array.from({ length: ANSWER_SESSIONS - 1 }, (_, i) => openSession(base, `Class ${String.fromCharCode(66 + i)}`)),
  );
  // Their joins are measured as the other scenarios are: through the same connections as the trivial route.
  const seats = others.flatMap((s) =>
    Array.from({ length: CLASS }, (_, i) => ({ code: s.code, body: JSON.stringify({ nickname: `Student ${i + 1}` }) })),
  );
  const otherTokens: string[] = [];
  let nextSeat = 0;
  const joins = await paired(base, 'join', () =>
    load({
      base,
      connections: CONNECTIONS,
      amount: seats.length,
      method: 'POST',
      path: '/api/codes/-/participants',
      headers: { 'Content-Type': 'application/json' },
      next: () => {
        const seat = seats[nextSeat++ % seats.length]!;
        return { path: `/api/codes/${seat.code}/participants`, body: seat.body };
      },
      onResponse: (status, body) => {
        if (status === 201) otherTokens.push((JSON.parse(body) as { token: string }).token);
      },
    }),
  );
  if (otherTokens.length !== seats.length) throw new Error(`join: ${otherTokens.length} of ${seats.length} joined`);
  const students = [...tokensA, ...otherTokens];
  const prepared = await pool(students, CONNECTIONS, async (token) => {
    const play = await api<{ current: { question: StudentQuestion } | null }>(base, '/api/play', { token });
    const q = play.current!.question;
    return { token, body: JSON.stringify({ questionId: q.id, response: anyResponse(q) }) };
  });
  let nextAnswer = 0;
  const answers = await paired(base, 'answer submission', () =>
    load({
      base,
      connections: CONNECTIONS,
      amount: prepared.length,
      method: 'POST',
      path: '/api/play/answers',
      headers: { 'Content-Type': 'application/json' },
      next: () => {
        const p = prepared[nextAnswer++ % prepared.length]!;
        return { headers: { Authorization: `Bearer ${p.token}` }, body: p.body };
      },
    }),
  );

  // 3. Next question: every student asks for their current question (the first ask serves it).
  let nextPlay = 0;
  const nextQuestion = await paired(base, 'next question', () =>
    load({
      base,
      connections: CONNECTIONS,
      duration: DURATION_S,
      path: '/api/play',
      next: () => ({ headers: { Authorization: `Bearer ${students[nextPlay++ % students.length]}` } }),
    }),
  );

  // 4. Leaderboard of class A (everyone answered once: scores spread), as the results screen asks it.
  let nextBoard = 0;
  const board = await paired(base, `leaderboard (${CLASS} participants)`, () =>
    load({
      base,
      connections: CONNECTIONS,
      duration: DURATION_S,
      path: '/api/play/leaderboard',
      next: () => ({ headers: { Authorization: `Bearer ${tokensA[nextBoard++ % tokensA.length]}` } }),
    }),
  );

  // 5. Lighthouse on the student's join page (the server idle meanwhile).
  let lh: Lighthouse | null = null;
  if (!SKIP.has('lighthouse')) {
    if (server.web === 'none')
      lh = {
        url: '',
        performance: null,
        accessibility: null,
        metrics: {},
        scriptTransferBytes: null,
        error: 'no web build',
      };
    else {
      await sleep(1000);
      lh = await lighthouse(`${base}/join/${classA.code}`);
      console.log(
        `lighthouse (mobile) ${lh.url}: performance ${lh.performance}, accessibility ${lh.accessibility}${lh.error ? ` (${lh.error})` : ''}`,
      );
    }
  }

  await server.stop();
  server = null;

  // 6. A contest and 7. the live game, each on its own server.
  let contest: ScriptRun | null = null;
  if (!SKIP.has('contest') && !QUICK) {
    console.log('contest: running bench/contest-load.ts …');
    contest = await benchScript('bench/contest-load.ts', [], 'bench/results/contest.json', 1_250_000);
    const r = contest.report as ContestReport | undefined;
    if (r)
      console.log(
        `contest: ${r.settings.players} players over ${r.shards.count} shards; broadcast p50 ${r.broadcastMs.p50} ms, p95 ${r.broadcastMs.p95}; answer→ack p50 ${r.ackMs.p50} ms, p95 ${r.ackMs.p95}; lost answers ${r.answers.lost}; errors ${r.errors.received}`,
      );
    if (!contest.ok) console.log(`contest: failed: ${contest.error}`);
  }

  let live: ScriptRun | null = null;
  if (!SKIP.has('live') && !QUICK) {
    console.log('live: running bench/live-load.ts …');
    live = await benchScript(
      'bench/live-load.ts',
      ['--players', String(CLASS), '--timeout-s', '900'],
      'bench/results/live.json',
      950_000,
    );
    if (live.ok) {
      const r = live.report as { broadcastMs: Stats; ackMs: Stats; errors: number };
      console.log(
        `live: broadcast p50 ${r.broadcastMs.p50} ms, p95 ${r.broadcastMs.p95}; answer→ack p50 ${r.ackMs.p50} ms, p95 ${r.ackMs.p95}; errors ${r.errors}`,
      );
    } else console.log(`live: failed: ${live.error}`);
  }

  const results = {
    date: started.toISOString(),
    command: `npm run bench${argv.length ? ` -- ${argv.join(' ')}` : ''}`,
    server: 'wrangler dev 4.86.0 (workerd + local D1) serving the `wrangler deploy --dry-run` bundle, --log-level warn',
    worker: WORKER_REV ?? 'working tree',
    machine: { ...machine, loadavgAtEnd: load1() },
    settings: {
      connections: CONNECTIONS,
      durationS: DURATION_S,
      trivialS: TRIVIAL_S,
      classSize: CLASS,
      answerSessions: ANSWER_SESSIONS,
    },
    bytes,
    joinBurst: {
      ...burst,
      serverCpuMsPerRequest: burstCpuMsPerJoin,
      trivial: { rps: burstTrivialRps, before: burstTrivialBefore, after: burstTrivialAfter },
      ratio: round(burst.joinsPerSecond / burstTrivialRps),
    },
    joins,
    answers,
    nextQuestion,
    leaderboard: board,
    lighthouse: lh,
    contest,
    live,
  };
  mkdirSync(join(OUT, '..'), { recursive: true });
  writeFileSync(`${OUT}.json`, `${JSON.stringify(results, null, 2)}\n`);
  const md = markdown(results);
  writeFileSync(`${OUT}.md`, md);
  console.log(`\n${md}`);
  console.log(`written to ${OUT}.json and ${OUT}.md`);
}

type Results = {
  date: string;
  command: string;
  worker: string;
  machine: { cpus: number; loadavgAtStart: number[]; loadavgAtEnd: number[] };
  bytes: { web: string; studentEntryGzip: number | null; workerBundleGzip: number };
  joinBurst: Burst & { trivial: { rps: number }; ratio: number; serverCpuMsPerRequest: number };
  joins: Paired;
  answers: Paired;
  nextQuestion: Paired;
  leaderboard: Paired;
  lighthouse: Lighthouse | null;
  contest: ScriptRun | null;
  live: ScriptRun | null;
};

/** The short Markdown table of a run. */
export function markdown(r: Results): string {
  const row = (name: string, p: Paired, goal = '') =>
    `| ${name} | ${p.scenario.rps} | ${p.scenario.latencyMs.p50} / ${p.scenario.latencyMs.p95} / ${p.scenario.latencyMs.p99} | ${p.trivial.rps} | **${p.ratio}**${goal} | ${p.scenario.serverCpuMsPerRequest} / ${p.trivial.serverCpuMsPerRequest} | ${p.scenario.non2xx + p.scenario.errors} |`;
  const lines = [
    `Pomegranate bench, ${r.date.slice(0, 16).replace('T', ' ')} UTC: \`${r.command}\` (worker: ${r.worker}).`,
    `Machine: ${r.machine.cpus} cores, load average ${r.machine.loadavgAtStart.join(' ')} at start, ${r.machine.loadavgAtEnd.join(' ')} at end. Server: wrangler dev (workerd + local D1), 50 connections.`,
    '',
    '| scenario | req/s | latency p50 / p95 / p99 ms | trivial req/s | ratio | server CPU ms/req (scenario / trivial) | errors |',
    '|---|---:|---:|---:|---:|---:|---:|',
    row(`join (POST /api/codes/:code/participants), ${r.joins.scenario.requests} students`, r.joins, ' (goal ≥ 0.5)'),
    row('answer submission (POST /api/play/answers)', r.answers, ' (goal ≥ 0.5)'),
    row('next question (GET /api/play)', r.nextQuestion, ' (goal ≥ 0.8)'),
    row('leaderboard, 500 participants', r.leaderboard),
    `| join burst: ${r.joinBurst.students} students within ${r.joinBurst.spreadMs / 1000} s (≤ 100 in flight) | ${r.joinBurst.joinsPerSecond} | ${r.joinBurst.perRequestMs.p50} / ${r.joinBurst.perRequestMs.p95} / ${r.joinBurst.perRequestMs.p99} | ${r.joinBurst.trivial.rps} | ${r.joinBurst.ratio} | ${r.joinBurst.serverCpuMsPerRequest} | ${r.joinBurst.errors} |`,
    '',
    `Join burst: all ${r.joinBurst.students} joined ${r.joinBurst.allJoinedMs} ms after the first request, ${r.joinBurst.errors} errors.`,
  ];
  const lh = r.lighthouse;
  if (lh)
    lines.push(
      lh.error
        ? `Lighthouse: not run (${lh.error}).`
        : `Lighthouse 12.2.3, mobile, student join page: performance **${lh.performance}**, accessibility **${lh.accessibility}** (goal ≥ 95 each); LCP ${lh.metrics.largestContentfulPaintMs} ms, TBT ${lh.metrics.totalBlockingTimeMs} ms.`,
    );
  lines.push(
    `Bytes: student entry ${r.bytes.studentEntryGzip == null ? 'n/a' : KB(r.bytes.studentEntryGzip)} gzipped JS (budget 35 KB; web: ${r.bytes.web}), Worker bundle ${KB(r.bytes.workerBundleGzip)} gzipped (budget 200 KB).`,
  );
  const c = r.contest;
  const cr = c?.report as ContestReport | undefined;
  if (c && !cr) lines.push(`Contest (bench/contest-load.ts): failed (${c.error}).`);
  else if (cr) {
    const pair = (s: Stats) => `p50 ${s.p50} ms, p95 ${s.p95} ms, max ${s.max} ms`;
    lines.push(
      `Contest (bench/contest-load.ts): ${cr.settings.players} players in one contest session over ${cr.shards.count} live rooms under a coordinator (players per room ${Object.values(cr.shards.playersPerShard).join(' / ')}), ${cr.settings.questions} questions, answers within ${cr.settings.answerSpreadMs} ms: remote's command → question at every player ${pair(cr.broadcastMs)} (goal p95 ≤ 250 ms); answer → ack ${pair(cr.ackMs)} (goal p95 ≤ 50 ms); answers sent ${cr.answers.sent}, acked ${cr.answers.acked}, in D1 ${cr.answers.inD1}, **lost ${cr.answers.lost}**; final ranking ${cr.results.finalRanking.rows} rows, ${cr.results.finalRanking.wrong + cr.results.ownFinal.wrong} disagreeing with D1; ${cr.errors.received} errors${c!.ok ? '' : `; FAILED (${c!.error})`}.`,
    );
    if (cr.baseline)
      lines.push(
        `  bare Durable Object baseline, ${cr.baseline.rooms} rooms, same sockets and answer window: command → question ${pair(cr.baseline.broadcastMs)}; answer → ack ${pair(cr.baseline.ackMs)}. Server CPU over the game ${cr.resources.serverCores} cores, this client ${cr.resources.clientCores} cores; load average ${cr.machine.atStart.loadavg.join(' ')} at its start.`,
      );
  }
  const l = r.live;
  if (l && !l.ok) lines.push(`Live game (bench/live-load.ts): failed (${l.error}).`);
  else if (l?.report) {
    type Rounds = { broadcastMs: Stats; broadcastLastMs: Stats; ackMs: Stats };
    type Game = Rounds & { errors: number; memory?: { perPlayerBytes: number } };
    const lr = l.report as Game & { players: number; servers?: Record<string, { baseline: Rounds; game: Game }> };
    lines.push(
      `Live game (bench/live-load.ts, ${lr.players} players, one room): broadcast to all p50 ${lr.broadcastMs.p50} ms, p95 ${lr.broadcastMs.p95} ms, max ${lr.broadcastMs.max} ms; answer → ack p50 ${lr.ackMs.p50} ms, p95 ${lr.ackMs.p95} ms; ${lr.errors} errors.`,
    );
    for (const [server, { baseline: b, game: g }] of Object.entries(lr.servers ?? {}))
      lines.push(
        `  ${server}: command → last player p95 ${g.broadcastLastMs.p95} ms (bare Durable Object baseline ${b.broadcastLastMs.p95} ms), every player p95 ${g.broadcastMs.p95} ms (baseline ${b.broadcastMs.p95}), answer → ack p95 ${g.ackMs.p95} ms (baseline ${b.ackMs.p95}), ${g.memory?.perPlayerBytes ?? '?'} bytes per player.`,
      );
  }
  return `${lines.join('\n')}\n`;
}

main()
  .then(async () => {
    clearTimeout(watchdog);
    await cleanup();
    process.exit(0);
  })
  .catch(async (err: unknown) => {
    await die(err instanceof Error ? (err.stack ?? err.message) : String(err));
  });
