/** What the session rooms (Durable Objects) hold in their storage, for the retention and account tests. */
import { runInDurableObject } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { expect } from 'vitest';
import type { CreatedSession } from '../../worker/contract';
import { join } from './helpers';
import { LiveClient } from './live-client';

export const playRoom = (sessionId: string) => env.PLAY_ROOM.get(env.PLAY_ROOM.idFromName(sessionId));
export const liveRoom = (sessionId: string) => env.LIVE_ROOM.get(env.LIVE_ROOM.idFromName(sessionId));

/** Rows in the room's own tables, the record of its schema steps aside (a wiped live room keeps empty tables). */
export const roomRows = (stub: DurableObjectStub) =>
  runInDurableObject(stub, (_room, state) => {
    const { sql } = state.storage;
    const tables = sql
      .exec<{
        name: string;
      }>(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE '\\_cf\\_%' ESCAPE '\\' AND name <> '_migrations'",
      )
      .toArray();
    let rows = 0;
    for (const { name } of tables) rows += sql.exec<{ n: number }>(`SELECT count(*) AS n FROM "${name}"`).one().n;
    return rows;
  });

/** A live session with a student in its room: the teacher's and the student's sockets open; both closed again. */
export async function liveWithPlayer(s: CreatedSession, nickname: string): Promise<{ token: string }> {
  const host = await LiveClient.host(s);
  await host.next('welcome');
  const joined = await join(s.code, nickname);
  const player = await LiveClient.player(joined.token);
  await player.next('welcome');
  await host.next('player');
  const nicknames = await runInDurableObject(liveRoom(s.id), (_room, state) =>
    state.storage.sql
      .exec<{ nickname: string }>('SELECT nickname FROM players')
      .toArray()
      .map((r) => r.nickname),
  );
  expect(nicknames).toEqual([nickname]);
  player.ws.close(1000, 'done');
  host.ws.close(1000, 'done');
  return { token: joined.token };
}
