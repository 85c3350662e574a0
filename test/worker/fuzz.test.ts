/**
 * Input fuzzing, part 1 of the HTTP routes: health, teacher accounts, the bank, join
 * codes, create-from-text, the live WebSocket's upgrade, playing, and any method on any path.
 * Parts 2 and 3: fuzz-teacher.test.ts, fuzz-sessions.test.ts; the live protocol: fuzz-live.test.ts.
 * How it works: fuzz-kit.ts (values, checks, seeds, runs), fuzz-world.ts (the data cases refer
 * to), fuzz-routes.ts (the routes). `FUZZ_RUNS` cases per route (default 2000), seeded.
 */
import { describe, expect, it } from 'vitest';
import { rawBank } from '../../db/bank';
import { parseBank } from '../../db/seed-sql';
import { grade } from '../../worker/questions/scoring';
import { sendAndCheck } from './fuzz-kit';
import worker from '../../worker/index';
import { fuzzRoutes, fuzzUnknownRoutes, PARTS, ROUTES, routeName, useWorld } from './fuzz-routes';
import { api } from './fuzz-world';

const world = useWorld();

describe('fuzz: accounts, bank, codes, generate, live upgrade, play', () => {
  it('covers every route of the Worker (a new route needs an entry in fuzz-routes.ts)', () => {
    const app = new Set(worker.routes.filter((r) => r.method !== 'ALL').map((r) => `${r.method} ${r.path}`));
    const fuzzed = new Set(ROUTES.map(routeName));
    expect(
      [...app].filter((r) => !fuzzed.has(r)),
      'routes nobody fuzzes',
    ).toEqual([]);
    expect(
      [...fuzzed].filter((r) => !app.has(r)),
      'fuzzed routes that are gone',
    ).toEqual([]);
    expect(PARTS.accounts.length + PARTS.teacher.length + PARTS.sessions.length).toBe(ROUTES.length);
  });
  fuzzRoutes(PARTS.accounts, world);
  fuzzUnknownRoutes(world);
});

/** The smallest inputs the fuzz found failing, kept as plain regression tests. */
describe('inputs the fuzz found answered 5xx', () => {
  it('a session report before anyone joined (item statistics of zero students)', async () => {
    const w = world();
    const s = await w.quickSession(w.teacher);
    const res = await sendAndCheck({
      method: 'GET',
      path: `/api/sessions/${s.id}/report`,
      headers: { Authorization: `Bearer ${s.key}` },
    });
    expect(res.status).toBe(200);
    expect(
      (res.json as { questions: { stats: { responses: number } }[] }).questions.map((q) => q.stats.responses),
    ).toEqual([0, 0, 0]);
  });

  it('an object with its own "constructor": null where a record is expected (zod 4.1 threw a TypeError)', async () => {
    const w = world();
    const matching = parseBank(rawBank).find((q) => q.type === 'matching')!;
    const { id: _id, source: _source, ...own } = matching;
    for (const body of [
      { constructor: null },
      { ...own, answer: { constructor: null } },
      JSON.parse('{"__proto__": null, "constructor": null}'),
    ]) {
      const res = await sendAndCheck({
        method: 'POST',
        path: '/api/questions',
        headers: { Origin: 'http://quiz.test', 'Content-Type': 'application/json', Cookie: w.teacher.cookie },
        body: JSON.stringify(body),
      });
      expect(res.status, JSON.stringify(body)).toBe(400);
    }
    // The same record in a student's answer to a matching question (self-paced and live both grade with it).
    expect(grade(matching, { pairs: { constructor: null } })).toMatchObject({ ok: false });
    expect(grade(matching, JSON.parse('{"pairs":{"constructor":null,"a":"x"}}'))).toMatchObject({ ok: false });
    expect((await api('/api/health')).status).toBe(200);
  });
});
