/**
 * The teacher's side of a session's {@link import('../rooms/play-room').PlayRoom}: the room takes
 * every session's joins and a self-paced session's answers from memory and copies them to D1
 * shortly after, so a route that reads seats or results from D1 asks it to copy first, and a route
 * that changes the session or its seats in D1 tells it. A live game's own state is its live room's
 * (../rooms/live-room).
 */
import type { Env } from '../env';

type SessionRef = { id: string };

const room = (env: Env, sessionId: string) => env.PLAY_ROOM.get(env.PLAY_ROOM.idFromName(sessionId));

/** Before reading a session's results from D1: everything its students were told is there. */
export async function settle(env: Env, ...list: SessionRef[]): Promise<void> {
  await Promise.all(list.map((s) => room(env, s.id).flush()));
}

/** After changing a session in D1 (settings, closing, a seat removed or linked, deleting it): its room reads it again. */
export async function changed(env: Env, session: SessionRef): Promise<void> {
  await room(env, session.id).reload();
}
