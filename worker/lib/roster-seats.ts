/**
 * Roster names as seats. In a session of a class with a roster a student picks their name (or
 * types it exactly) and their seat is linked to it; a name is one seat per session (a unique
 * index), so a second device cannot be the same child, and the names no seat has are who is absent.
 */
import { and, asc, eq, sql } from 'drizzle-orm';
import { participants, rosterEntries } from '../../db/schema';
import type { Database } from './db';
import { nameKey } from './nicknames';

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
