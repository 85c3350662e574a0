/**
 * A class's students over its sessions, one row each, for the class report and the class grid:
 * every roster name once (even one who never played) with the seats linked to it merged, and the
 * nicknames no roster name is linked to apart. Pure, so it runs in the Worker and in Node.
 */
import { nameKey } from '../lib/nicknames';

/** A seat of one of the class's sessions. */
export interface ClassSeatBase {
  sessionId: string;
  nickname: string;
  /** The nickname folded, as sessions compare nicknames: "Li" and "li" are one student. */
  nicknameKey: string;
  /** The roster entry the seat is linked to. */
  rosterId: string | null;
}

/** One student of the class: a roster name, or a nickname no roster name is linked to. */
export interface ClassRow<S extends ClassSeatBase> {
  /** Null for a nickname. */
  rosterId: string | null;
  /** The roster name, or the nickname as first seen. */
  name: string;
  /** The nicknames of the student's seats, each once. */
  nicknames: string[];
  /** One per session, in the order given: the student's seat, or null when they had none (absent). */
  seats: (S | null)[];
}

/**
 * The rows of a class, roster names first (in roster order), then nicknames (in order of first seat).
 * A seat counts for a roster name when it is linked to it, or when it is not linked and its nickname
 * is that name exactly (folded as nicknames are compared) while no seat of its session is linked to
 * it: as joining links such a nickname today, so the report treats seats from before. A seat of a
 * session not in `sessionIds`, or linked to another class's name, counts as not linked.
 */
export function classRows<S extends ClassSeatBase>(
  sessionIds: readonly string[],
  roster: readonly { id: string; name: string }[],
  seats: readonly S[],
): ClassRow<S>[] {
  const column = new Map(sessionIds.map((id, i) => [id, i]));
  const empty = () => sessionIds.map((): S | null => null);
  const named = new Map<string, ClassRow<S>>(
    roster.map((r) => [r.id, { rosterId: r.id, name: r.name, nicknames: [], seats: empty() }]),
  );
  const byName = new Map(roster.map((r) => [nameKey(r.name), named.get(r.id)!]));
  const nicknames = new Map<string, ClassRow<S>>();
  const isLinked = (seat: S) => named.has(seat.rosterId ?? '');
  // Linked seats first, so that a nickname never takes the place of the seat linked to its name.
  const linkedFirst = [...seats].sort((a, b) => Number(isLinked(b)) - Number(isLinked(a)));
  for (const seat of linkedFirst) {
    const i = column.get(seat.sessionId);
    if (i === undefined) continue;
    const match = isLinked(seat) ? named.get(seat.rosterId!)! : byName.get(seat.nicknameKey);
    let row = match && match.seats[i] === null ? match : nicknames.get(seat.nicknameKey);
    if (!row)
      nicknames.set(seat.nicknameKey, (row = { rosterId: null, name: seat.nickname, nicknames: [], seats: empty() }));
    if (!row.nicknames.includes(seat.nickname)) row.nicknames.push(seat.nickname);
    row.seats[i] = seat;
  }
  return [...named.values(), ...nicknames.values()];
}
