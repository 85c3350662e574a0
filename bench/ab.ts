/**
 * Before/after of one performance change, on a noisy machine: two servers side by side (A and B,
 * each a commit or the working tree, optionally with some working-tree files laid over a commit),
 * the same requests sent to both in short interleaved slices (A B, B A, A B, …), so that whatever
 * else the machine does weighs on both alike. Reports, per route, requests per second and the
 * servers' CPU time per request, and B ÷ A.
 *
 *   npx tsx bench/ab.ts --a HEAD [--a-overlay worker/lib/db.ts,…] [--b HEAD --b-overlay …] [--rounds 6] [--slice 3] [--only join,answer]
 *   npx tsx bench/ab.ts --a-revert worker/lib/db.ts [--base <rev>]   (A: the working tree with that file as at HEAD, or <rev>; B: the working tree)
 *
 * Without `--a`/`--b`, a side is the working tree. Writes bench/results/ab-<name>.json when `--name` is given.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { api, load, type LoadResult } from './load';
import { anyResponse, pool, type StudentQuestion } from '../test/support/util';
import { startServer, type LocalServer, type WorkerSource } from '../test/support/local-server';
import { ROOT } from '../test/support/process';

const argv = process.argv.slice(2);
const value = (name: string) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv[i + 1] : undefined;
};
const list = (name: string) => (value(name) ?? '').split(',').filter(Boolean);
const ROUNDS = Number(value('rounds') ?? 6);
const SLICE_S = Number(value('slice') ?? 3);
const CONNECTIONS = 50;
const STUDENTS = Number(value('students') ?? 600);
const NAME = value('name');
/** Only the routes whose names contain one of these (`--only join,answer`); all by default. */
const ONLY = list('only');

const side = (which: 'a' | 'b'): { worker: WorkerSource; label: string } => {
  const rev = value(which);
  const overlay = list(`${which}-overlay`);
  const revert = list(`${which}-revert`);
  const base = value('base') ?? 'HEAD';
  if (!rev || rev === 'working-tree') {
    if (!revert.length) return { worker: {}, label: 'working tree' };
    return { worker: { revert, base }, label: `working tree with ${revert.join(', ')} as at ${base}` };
  }
  return { worker: { rev, overlay }, label: `${rev}${overlay.length ? ` + ${overlay.join(', ')}` : ''}` };
};

interface Prepared {
  server: LocalServer;
  tokens: string[];
  answers: { token: string; body: string }[];
  code: string;
  /** Sessions that take the join route's students, a thousand each. */
  joinCodes: string[];
  nextAnswer: number;
  nextToken: number;
  nextJoin: number;
}

/** Sessions, students, and each student's first question served and answer prepared. */
async function prepare(server: LocalServer): Promise<Prepared> {
  const base = server.base;
  // Every student joins from this one address: a commit that limits seats per network is asked
  // for enough of them; an older one, which refuses the unknown field, is asked without it.
  const open = (i: number) => {
    const body = { title: `AB ${i}`, count: 5, timeLimitSec: 60, maxPlayers: 1000 };
    return api<{ code: string }>(base, '/api/sessions', { body: { ...body, seatsPerNetwork: 1000 } }).catch(() =>
      api<{ code: string }>(base, '/api/sessions', { body }),
    );
  };
  const sessions = await Promise.all([0, 1].map(open));
  // Seats for every join the route sends: a slice per round, at up to 1 000 joins a second.
  const joinCodes = (
    await pool(
      Array.from({ length: Math.ceil(ROUNDS * SLICE_S) }, (_, i) => i + 2),
      4,
      open,
    )
  ).map((s) => s.code);
  const seats = Array.from({ length: STUDENTS }, (_, i) => ({ code: sessions[i % 2]!.code, nickname: `s${i}` }));
  const tokens = await pool(
    seats,
    25,
    async (s) =>
      (await api<{ token: string }>(base, `/api/codes/${s.code}/participants`, { body: { nickname: s.nickname } }))
        .token,
  );
  const answers = await pool(tokens, 25, async (token) => {
    const q = (await api<{ current: { question: StudentQuestion } }>(base, '/api/play', { token })).current.question;
    return { token, body: JSON.stringify({ questionId: q.id, response: anyResponse(q) }) };
  });
  return { server, tokens, answers, code: sessions[0]!.code, joinCodes, nextAnswer: 0, nextToken: 0, nextJoin: 0 };
}

type Route = (p: Prepared, perSlice: number) => Promise<LoadResult>;
const routes: Record<string, Route> = {
  health: (p) => load({ base: p.server.base, connections: CONNECTIONS, duration: SLICE_S, path: '/api/health' }),
  'join (POST /api/codes/:code/participants)': (p) =>
    load({
      base: p.server.base,
      connections: CONNECTIONS,
      duration: SLICE_S,
      method: 'POST',
      path: '/api/codes/-/participants',
      headers: { 'Content-Type': 'application/json' },
      next: () => {
        const i = p.nextJoin++;
        return {
          path: `/api/codes/${p.joinCodes[Math.floor(i / 1000)]}/participants`,
          body: JSON.stringify({ nickname: `j${i}` }),
        };
      },
    }),
  'answer (POST /api/play/answers)': (p, perSlice) =>
    load({
      base: p.server.base,
      connections: CONNECTIONS,
      amount: perSlice,
      method: 'POST',
      path: '/api/play/answers',
      headers: { 'Content-Type': 'application/json' },
      next: () => {
        const a = p.answers[p.nextAnswer++ % p.answers.length]!;
        return { headers: { Authorization: `Bearer ${a.token}` }, body: a.body };
      },
    }),
  'next question (GET /api/play)': (p) =>
    load({
      base: p.server.base,
      connections: CONNECTIONS,
      duration: SLICE_S,
      path: '/api/play',
      next: () => ({ headers: { Authorization: `Bearer ${p.tokens[p.nextToken++ % p.tokens.length]}` } }),
    }),
  'leaderboard (GET /api/play/leaderboard)': (p) =>
    load({
      base: p.server.base,
      connections: CONNECTIONS,
      duration: SLICE_S,
      path: '/api/play/leaderboard',
      next: () => ({ headers: { Authorization: `Bearer ${p.tokens[p.nextToken++ % p.tokens.length]}` } }),
    }),
  'code lookup (GET /api/codes/:code)': (p) =>
    load({ base: p.server.base, connections: CONNECTIONS, duration: SLICE_S, path: `/api/codes/${p.code}` }),
};

async function main() {
  const a = side('a');
  const b = side('b');
  console.log(
    `ab: A = ${a.label}, B = ${b.label}; ${ROUNDS} rounds of ${SLICE_S} s slices; ${cpus().length} cores, load ${loadavg()
      .map((x) => x.toFixed(2))
      .join(' ')}`,
  );
  const servers: LocalServer[] = [];
  const stopAll = async () => {
    for (const s of servers) await s.stop();
  };
  process.on('SIGINT', () => void stopAll().then(() => process.exit(130)));
  try {
    servers.push(await startServer({ label: 'ab-a', web: 'build', verbose: true, worker: a.worker }));
    servers.push(await startServer({ label: 'ab-b', web: 'build', verbose: true, worker: b.worker }));
    const [pa, pb] = [await prepare(servers[0]!), await prepare(servers[1]!)];
    const results: Record<
      string,
      { a: { rps: number; cpu: number }; b: { rps: number; cpu: number }; rpsRatio: number; cpuRatio: number }
    > = {};
    for (const [name, route] of Object.entries(routes)) {
      if (ONLY.length && !ONLY.some((o) => name.includes(o))) continue;
      const acc = { a: { n: 0, s: 0, cpu: 0 }, b: { n: 0, s: 0, cpu: 0 } };
      const perSlice = Math.floor(STUDENTS / ROUNDS);
      for (let r = 0; r < ROUNDS; r++) {
        for (const which of r % 2 === 0 ? (['a', 'b'] as const) : (['b', 'a'] as const)) {
          const p = which === 'a' ? pa : pb;
          const cpu = p.server.cpuMs();
          const res = await route(p, perSlice);
          acc[which].cpu += p.server.cpuMs() - cpu;
          acc[which].n += res.requests;
          acc[which].s += res.durationS;
        }
      }
      const sum = (x: { n: number; s: number; cpu: number }) => ({
        rps: Math.round((x.n / x.s) * 10) / 10,
        cpu: Math.round((x.cpu / Math.max(1, x.n)) * 100) / 100,
      });
      const ra = sum(acc.a);
      const rb = sum(acc.b);
      results[name] = {
        a: ra,
        b: rb,
        rpsRatio: Math.round((rb.rps / ra.rps) * 100) / 100,
        cpuRatio: Math.round((rb.cpu / ra.cpu) * 100) / 100,
      };
      console.log(
        `${name}: A ${ra.rps} req/s, ${ra.cpu} ms CPU/req; B ${rb.rps} req/s, ${rb.cpu} ms CPU/req → B/A throughput ×${results[name].rpsRatio}, CPU ×${results[name].cpuRatio}`,
      );
    }
    if (NAME) {
      mkdirSync(join(ROOT, 'bench/results'), { recursive: true });
      const out = {
        date: new Date().toISOString(),
        a: a.label,
        b: b.label,
        rounds: ROUNDS,
        sliceS: SLICE_S,
        machine: { cpus: cpus().length, loadavg: loadavg() },
        results,
      };
      writeFileSync(join(ROOT, `bench/results/ab-${NAME}.json`), `${JSON.stringify(out, null, 2)}\n`);
    }
  } finally {
    await stopAll();
  }
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
