/**
 * The seat rules the session's room applies to a join, decided from the seats it holds: roster
 * names, guests, blocked words, one seat per name, the caps. The join route's tests
 * (test/worker/codes*.test.ts, roster.test.ts) check the same through the API and the room.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ApiError } from '../../worker/lib/errors';
import { shardOf } from '../../worker/live/contest';
import { PLAYERS_PER_SHARD } from '../../worker/contract';
import { SeatBook, type SeatRules } from '../../worker/lib/seats';

const rules = (over: Partial<SeatRules> = {}): SeatRules => ({
  roster: [],
  allowGuests: false,
  blockedWords: [],
  maxPlayers: 200,
  seatsPerNetwork: 80,
  shards: 1,
  ...over,
});

/** Takes a seat and adds it to the book, as the room does; the error code when refused. */
function take(book: SeatBook, r: SeatRules, body: { nickname?: string; rosterId?: string }, network = 'n1') {
  try {
    const seat = book.take(r, body, network);
    book.add({ ...seat, id: book.newId(() => crypto.randomUUID()), networkKey: network });
    return seat;
  } catch (err) {
    if (err instanceof ApiError) return err.code;
    throw err;
  }
}

describe('seats', () => {
  it('gives a nickname its own seat, once, whatever its case or width', () => {
    const book = new SeatBook();
    expect(take(book, rules(), { nickname: 'Bob' })).toEqual({ nickname: 'Bob', nicknameKey: 'bob', rosterId: null });
    expect(take(book, rules(), { nickname: 'ＢＯＢ' })).toBe('nickname_taken');
    expect(book.size).toBe(1);
  });

  it('seats roster names by id or typed, one seat each, and guests only where allowed', () => {
    const roster = [
      { id: 'r1', name: '王芳', timeFactor: 1 },
      { id: 'r2', name: 'Li Lei', timeFactor: 1.5 },
    ];
    const book = new SeatBook();
    expect(take(book, rules({ roster }), { rosterId: 'r1' })).toMatchObject({ nickname: '王芳', rosterId: 'r1' });
    expect(take(book, rules({ roster }), { nickname: 'li lei' })).toMatchObject({ nickname: 'Li Lei', rosterId: 'r2' });
    expect(take(book, rules({ roster }), { nickname: '王芳' })).toBe('name_taken');
    expect(take(book, rules({ roster }), { rosterId: 'gone' })).toBe('roster_entry_not_found');
    expect(take(book, rules({ roster }), { nickname: 'Guest' })).toBe('guests_not_allowed');
    expect(take(book, rules({ roster, allowGuests: true }), { nickname: 'Guest' })).toMatchObject({ rosterId: null });
    expect(book.roster(rules({ roster })).map((r) => r.taken)).toEqual([true, true]);
  });

  it("refuses blocked words, the default list's and the teacher's", () => {
    const book = new SeatBook();
    expect(take(book, rules(), { nickname: 'f u c k' })).toBe('nickname_not_allowed');
    expect(take(book, rules({ blockedWords: ['pikachu'] }), { nickname: 'pika chu 2' })).toBe('nickname_not_allowed');
  });

  it('never seats more than the session or a network may hold', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 1, max: 12 }),
        fc.array(fc.constantFrom('a', 'b', 'c'), { maxLength: 40 }),
        (maxPlayers, seatsPerNetwork, networks) => {
          const book = new SeatBook();
          const r = rules({ maxPlayers, seatsPerNetwork });
          const seated = new Map<string, number>();
          networks.forEach((network, i) => {
            const got = take(book, r, { nickname: `P${i}` }, network);
            if (typeof got !== 'string') seated.set(network, (seated.get(network) ?? 0) + 1);
            else expect(['session_full', 'network_full']).toContain(got);
          });
          expect(book.size).toBeLessThanOrEqual(maxPlayers);
          for (const n of seated.values()) expect(n).toBeLessThanOrEqual(seatsPerNetwork);
        },
      ),
    );
  });

  it('places a contest seat on a shard with room, and refuses one when every shard is full', () => {
    const book = new SeatBook(3);
    const perShard = new Map<number, number>();
    for (let i = 0; i < 3 * PLAYERS_PER_SHARD; i++) {
      const id = book.newId(() => crypto.randomUUID());
      const k = shardOf(id, 3);
      perShard.set(k, (perShard.get(k) ?? 0) + 1);
      book.add({ id, nicknameKey: `n${i}`, rosterId: null, networkKey: null });
    }
    expect([...perShard.values()]).toEqual([PLAYERS_PER_SHARD, PLAYERS_PER_SHARD, PLAYERS_PER_SHARD]);
    expect(() => book.newId(() => crypto.randomUUID())).toThrow(ApiError);
  });
});
