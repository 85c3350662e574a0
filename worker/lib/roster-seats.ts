/**
 * Roster names as seats. In a session of a class with a roster a student picks their name (or
 * types it exactly) and their seat is linked to it; a name is one seat per session (a unique
 * index), so a second device cannot be the same child, and the names no seat has are who is absent.
 */
import { and, asc, eq, sql } from 'drizzle-orm';
import { participants, rosterEntries } from '../../db/schema';
import type { Database } from './db';
import { nameKey } from './nicknames';
import type { RosterPick } from '../contract';

/**
 * The session's class roster as JSON (`[{ id, name, taken }]`), for a select over `sessions`:
 * `[]` for a session without a class. Spelled out: drizzle may leave the outer `sessions.id`
 * unqualified, and inside the subquery a bare "id" would be the inner table's own.
 */
export const rosterJson = sql<string>`(SELECT json_group_array(json_object('id', r.id, 'name', r.name, 'taken',
  EXISTS (SELECT 1 FROM participants p WHERE p.session_id = sessions.id AND p.roster_id = r.id)))
  FROM roster_entries r WHERE r.class_id = sessions.class_id)`;

/** The roster read with {@link rosterJson}. */
export const parseRoster = (json: string): RosterPick[] =>
  (JSON.parse(json) as { id: string; name: string; taken: number }[]).map((r) => ({
    id: r.id,
    name: r.name,
    taken: r.taken === 1,
  }));

/** The roster name a typed nickname is, folded as nicknames are compared ("li lei" is "Li Lei"), if any. */
export const rosterMatch = <R extends { name: string }>(roster: readonly R[], nickname: string): R | undefined => {
  const key = nameKey(nickname);
  return roster.find((r) => nameKey(r.name) === key);
};

/** The roster names of `classId` no seat of the session has: who is not here. */
export const absentQuery = (db: Database, sessionId: string, classId: string) =>
  db
    .select({ id: rosterEntries.id, name: rosterEntries.name })
    .from(rosterEntries)
    .where(
      and(
        eq(rosterEntries.classId, classId),
        sql`NOT EXISTS (SELECT 1 FROM participants p WHERE p.session_id = ${sessionId} AND p.roster_id = roster_entries.id)`,
      ),
    )
    .orderBy(asc(rosterEntries.name));

/**
 * The nickname a seat keeps when the teacher unlinks it from its roster name, so that the name is
 * free for the device of the child it belongs to: a seat called by that very name (picked, or
 * typed exactly) becomes "name (2)", "name (3)"…, the first no seat of the session has; a seat
 * with a nickname of its own keeps it. Null when the nickname stays.
 */
export async function nicknameWhenUnlinked(
  db: Database,
  seat: { sessionId: string; nicknameKey: string; rosterName: string | null },
): Promise<string | null> {
  if (seat.rosterName === null || nameKey(seat.rosterName) !== seat.nicknameKey) return null;
  const taken = new Set(
    (
      await db
        .select({ key: participants.nicknameKey })
        .from(participants)
        .where(eq(participants.sessionId, seat.sessionId))
    ).map((p) => p.key),
  );
  let n = 2;
  while (taken.has(nameKey(`${seat.rosterName} (${n})`))) n++;
  return `${seat.rosterName} (${n})`;
}
