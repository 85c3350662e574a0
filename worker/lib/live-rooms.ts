/**
 * The teacher's side of a live session's rooms (`../rooms/live-room`): one room for a class's game,
 * or, for a contest, a coordinator (named by the session id, as a single room is) and its shards.
 * Routes that close, reopen, delete or forget a live session reach every one of them; a student's
 * removal goes to the room the student plays in, found by the same hash the join used.
 */
import type { Env } from '../env';
import { roomName, shardOf } from '../live/contest';

/** A live session as these helpers need it. */
type LiveSession = { id: string; shards: number };

const room = (env: Env, name: string) => env.LIVE_ROOM.get(env.LIVE_ROOM.idFromName(name));

/** The session's one room, or its contest's coordinator. */
export const liveRoom = (env: Env, session: LiveSession) => room(env, session.id);

/** A contest's shards (none for one room). */
export const shardRooms = (env: Env, { id, shards }: LiveSession) =>
  shards > 1 ? Array.from({ length: shards }, (_, k) => room(env, roomName(id, k))) : [];

/** The room a student plays in: the one room, or their shard. */
export const studentRoom = (env: Env, { id, shards }: LiveSession, participantId: string) =>
  room(env, roomName(id, shards > 1 ? shardOf(participantId, shards) : null));

/** Every room of the session: the one room, or the coordinator first, then the shards. */
export const allLiveRooms = (env: Env, session: LiveSession) => [liveRoom(env, session), ...shardRooms(env, session)];
