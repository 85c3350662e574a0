/**
 * `Cache-Control` of every API route: `no-store` on everything private (answers and answer keys,
 * quizzes, exports, classes with real names, sessions, blocklists, reports, a student's play
 * state…), so that no browser cache or proxy keeps it; only the public responses listed here may
 * be cached. The routes, and how to call each successfully, come from the fuzz's list
 * (fuzz-routes.ts), so a new route is checked as soon as the fuzz knows it.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ORIGIN, sendAndCheck, type Body } from './fuzz-kit';
import { buildRequest, caseArb, MUST_SUCCEED, ROUTES, routeName, useWorld } from './fuzz-routes';
import { cleanUp, type CaseState } from './fuzz-world';

/**
 * Responses anyone may cache: the same for everyone, nothing personal. An image's address never
 * changes content (a new upload gets a new id), and phones of a whole class fetch it at once.
 */
const PUBLIC = new Map([
  ['GET /api/bank', 'public, max-age=60'],
  ['GET /api/bank/relations', 'public, max-age=60'],
  ['GET /api/images/:id', 'public, max-age=31536000, immutable'],
]);
/** Cases tried per route until one succeeds. */
const TRIES = 60;

const world = useWorld();

describe('Cache-Control on every API route', () => {
  // The live upgrade answers 101 with a socket: nothing to cache.
  for (const route of ROUTES.filter((r) => !r.produces?.includes('ws'))) {
    const name = routeName(route);
    const expected = PUBLIC.get(name) ?? 'no-store';
    it(`${name}: ${expected} on success${PUBLIC.has(name) ? '' : ', and no-store on errors'}`, async () => {
      const w = world();
      const examples = route.examples?.(w) ?? [];
      // Generated cases (credentials, parameters, queries) with the route's valid bodies as they are.
      const cases = fc.sample(caseArb(route, w), { numRuns: TRIES, seed: 0x5708e });
      let succeeded = false;
      for (const [i, c] of cases.entries()) {
        const state: CaseState = { n: c.n };
        await route.before?.(w, state);
        const example = examples[i % Math.max(1, examples.length)];
        const body: Body = example === undefined ? { kind: 'none' } : { kind: 'json', value: example };
        const req = await buildRequest(
          route.method,
          route.path,
          { ...c, body, contentType: 'application/json', origin: ORIGIN, extra: [] },
          w,
          state,
        );
        const answer = await sendAndCheck(req, route.produces);
        await route.after?.(answer, state);
        await cleanUp(state);
        const ok = answer.status >= 200 && answer.status < 300;
        if (ok || !PUBLIC.has(name))
          expect(answer.headers.get('Cache-Control'), `${answer.status} ${answer.text.slice(0, 200)}`).toBe(
            ok ? expected : 'no-store',
          );
        if (ok) {
          succeeded = true;
          break;
        }
      }
      // (A route the fuzz cannot call successfully, such as a multipart upload, has its own tests.)
      if (MUST_SUCCEED.has(name)) expect(succeeded, `no success in ${TRIES} cases`).toBe(true);
    });
  }
});
