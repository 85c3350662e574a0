/**
 * Join codes, from the student's side: look a code up, join with a nickname, or, in a session of a
 * class with a roster, with one's name from the roster. The code finds the session
 * (../lib/code-directory: D1 once per isolate and code, wrong codes throttled per address), and
 * the session's room answers: it holds the session, its roster and its seats in memory, decides
 * the seat (../lib/seats), stores it and copies it to D1 shortly after, with others
 * ({@link import('../rooms/play-room').PlayRoom}). A live session's join carries the ticket for its
 * socket, so that a phone is in the game after two requests. The code is what a child types, so
 * errors here speak plainly.
 */
import { Hono, type Context } from 'hono';
import type { AppEnv } from '../env';
import { clientAddress } from '../lib/client-address';
import { findSession, forgetCode, normalCode } from '../lib/code-directory';
import { ApiError } from '../lib/errors';
import { validate } from '../lib/validate';
import { joinBody } from '../requests';
import type { Outcome, PlayRoom } from '../rooms/play-room';
import type { CodeLookup } from '../contract';

/**
 * Asks the room of the session `rawCode` names. A remembered code whose room no longer has it (closed,
 * deleted, or given a new code) is looked up in D1 again, once: a closed session's code may be another's now.
 */
async function askRoom<T>(
  c: Context<AppEnv>,
  rawCode: string,
  ask: (room: DurableObjectStub<PlayRoom>, code: string) => Promise<Outcome<T>>,
  /** True of an answer from a closed session (the code may be another open session's now). */
  closed: (outcome: Outcome<T>) => boolean = (o) => !o.ok && (o.code === 'session_closed' || o.code === 'unknown_code'),
): Promise<Outcome<T> & { ok: true }> {
  const code = normalCode(rawCode);
  const room = (sessionId: string) => c.env.PLAY_ROOM.get(c.env.PLAY_ROOM.idFromName(sessionId));
  const found = await findSession(c, code);
  let outcome = await ask(room(found.sessionId), code!);
  if (found.cached && closed(outcome)) {
    forgetCode(code!);
    outcome = await ask(room((await findSession(c, code, true)).sessionId), code!);
  }
  if (!outcome.ok) throw new ApiError(outcome.status, outcome.code, outcome.message);
  return outcome;
}

export const codesRoute = new Hono<AppEnv>()
  .get('/:code', async (c) => {
    const { json } = await askRoom(
      c,
      c.req.param('code'),
      (room, code) => room.lookup(code),
      (o) => !o.ok || (JSON.parse(o.json) as CodeLookup).status === 'closed',
    );
    return c.body(json, 200, { 'Content-Type': 'application/json' });
  })
  .post('/:code/participants', validate('json', joinBody), async (c) => {
    const choice = c.req.valid('json');
    const address = clientAddress(c);
    const { json } = await askRoom(c, c.req.param('code'), (room, code) => room.join({ ...choice, code, address }));
    return c.body(json, 201, { 'Content-Type': 'application/json' });
  });
