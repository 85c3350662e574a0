/**
 * The teacher's side of a self-paced session's {@link import('../rooms/play-room').PlayRoom}: the
 * room answers students from memory and copies their answers to D1 shortly after, so a route that
 * reads results from D1 asks it to copy first, and a route that changes the session in D1 tells it.
 * Live sessions have a room of their own (../rooms/live-room) and are left alone here.
 */
import type { Env } from '../env';

type SessionRef = { id: string; mode: 'self' | 'live' };

const room = (env: Env, sessionId: string) => env.PLAY_ROOM.get(env.PLAY_ROOM.idFromName(sessionId));

/** Before reading a session's results from D1: everything its students were told is there. */
export async function settle(env: Env, ...list: SessionRef[]): Promise<void> {
  await Promise.all(list.filter((s) => s.mode === 'self').map((s) => room(env, s.id).flush()));
}

/** After changing a session in D1 (settings, closing, removing a student, deleting it): its room reads it again. */
export async function changed(env: Env, session: SessionRef): Promise<void> {
  if (session.mode === 'self') await room(env, session.id).reload();
}
