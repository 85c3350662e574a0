/**
 * Who may take a seat in a session, decided in the session's room from what it holds in memory:
 * the roster name picked or typed, a nickname of one's own (where guests may join, and not
 * blocked), one seat per name, and the caps on the whole session and on one network's share of
 * it. Pure: the room ({@link import('../rooms/play-room').PlayRoom}) keeps a {@link SeatBook} of
 * its seats and stores the seat it is told to.
 */
import { ApiError } from './errors';
import { placeSeat, shardOf } from '../live/contest';
import { isBlocked, nameKey } from './nicknames';
import type { RosterPick } from '../contract';

/** The session's rules for seats, as the room loads them with the session. */
export interface SeatRules {
  /** The class roster (empty without a class), with each name's extra time. */
  roster: readonly { id: string; name: string; timeFactor: number }[];
  allowGuests: boolean;
  /** The owner's own blocked words, on top of the default list. */
  blockedWords: readonly string[];
  maxPlayers: number;
  seatsPerNetwork: number;
  /** Live rooms a contest's seats are spread over (1 otherwise). */
  shards: number;
}

/** What the book needs to know of a seat. */
export interface Seated {
  id: string;
  nicknameKey: string;
  rosterId: string | null;
  networkKey: string | null;
}

/** A seat's name: a roster name (with its id) or a nickname of the student's own. */
export interface SeatName {
  nickname: string;
  nicknameKey: string;
  rosterId: string | null;
}

/** The roster name a typed nickname is, folded as nicknames are compared ("li lei" is "Li Lei"), if any. */
const rosterMatch = <R extends { name: string }>(roster: readonly R[], nickname: string): R | undefined => {
  const key = nameKey(nickname);
  return roster.find((r) => nameKey(r.name) === key);
};

/** The seats of one session, counted by name, roster name and network. */
export class SeatBook {
  private readonly names = new Set<string>();
  /** Seats per shard, in a contest. */
  private readonly shardSizes = new Map<number, number>();
  private readonly rosterIds = new Set<string>();
  private readonly networks = new Map<string, number>();
  private count = 0;

  /** `shards`: the live rooms of a contest the seats are spread over (1 otherwise). */
  constructor(private readonly shards = 1) {}

  get size(): number {
    return this.count;
  }

  /** A new seat's participant id: in a contest, one that lands on a shard with room (`placeSeat`). */
  newId(make: () => string): string {
    return placeSeat(this.shards, (k) => this.shardSizes.get(k) ?? 0, make);
  }

  add(seat: Seated): void {
    this.count++;
    if (this.shards > 1) {
      const k = shardOf(seat.id, this.shards);
      this.shardSizes.set(k, (this.shardSizes.get(k) ?? 0) + 1);
    }
    this.names.add(seat.nicknameKey);
    if (seat.rosterId !== null) this.rosterIds.add(seat.rosterId);
    if (seat.networkKey !== null) this.networks.set(seat.networkKey, (this.networks.get(seat.networkKey) ?? 0) + 1);
  }

  /** The roster as the join page offers it, each name `taken` when a seat has it. */
  roster(rules: SeatRules): RosterPick[] {
    return rules.roster.map((r) => ({ id: r.id, name: r.name, taken: this.rosterIds.has(r.id) }));
  }

  /**
   * The seat a join asks for, or the API error that says why not: the roster name picked (by id),
   * or typed exactly, or a nickname of the student's own, which a session with a roster takes only
   * when it lets guests in; one seat per name; room left in the session and in the network's share.
   */
  take(
    rules: SeatRules,
    body: { nickname?: string | undefined; rosterId?: string | undefined },
    networkKey: string,
  ): SeatName {
    const entry =
      body.rosterId === undefined
        ? rosterMatch(rules.roster, body.nickname!)
        : rules.roster.find((r) => r.id === body.rosterId);
    let name: SeatName;
    if (entry) name = { nickname: entry.name, nicknameKey: nameKey(entry.name), rosterId: entry.id };
    else {
      if (body.rosterId !== undefined)
        throw new ApiError(404, 'roster_entry_not_found', 'That name is not on the class list any more. Look again.');
      if (rules.roster.length > 0 && !rules.allowGuests)
        throw new ApiError(
          409,
          'guests_not_allowed',
          'Pick your name from the class list. Not on it? Ask your teacher.',
        );
      if (isBlocked(body.nickname!, rules.blockedWords))
        throw new ApiError(400, 'nickname_not_allowed', 'That nickname is not allowed here. Pick another one.');
      name = { nickname: body.nickname!, nicknameKey: nameKey(body.nickname!), rosterId: null };
    }
    // A roster name is taken by its seat, or by a nickname spelled the same.
    if (name.rosterId !== null && (this.rosterIds.has(name.rosterId) || this.names.has(name.nicknameKey)))
      throw new ApiError(409, 'name_taken', 'Someone in this quiz has already picked that name. Ask your teacher.');
    if (this.names.has(name.nicknameKey))
      throw new ApiError(409, 'nickname_taken', 'Someone in this quiz already has that nickname. Pick another one.');
    if (this.count >= rules.maxPlayers) throw new ApiError(409, 'session_full', 'This quiz is full. Ask your teacher.');
    if ((this.networks.get(networkKey) ?? 0) >= rules.seatsPerNetwork)
      throw new ApiError(
        409,
        'network_full',
        'Too many students have joined this quiz from this network. Ask your teacher.',
      );
    return name;
  }
}
