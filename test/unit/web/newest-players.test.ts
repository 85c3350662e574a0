/**
 * What the projector's lobby and the remote draw of a long list of students
 * (web/src/live/host/newest-players.ts): everyone for a class, in the order they joined; for a
 * contest's thousands the newest few dozen, newest first, and a count of the others; and on the
 * remote the newest whose nickname matches.
 */
import { describe, expect, it } from 'vitest';
import { SHOWN_PLAYERS, newestPlayers } from '../../../web/src/live/host/newest-players';
import type { LobbyPlayer } from '../../../worker/contract';

const players = (n: number, name = (i: number) => `Student ${i}`): LobbyPlayer[] =>
  Array.from({ length: n }, (_, i) => ({ participantId: `p${i}`, nickname: name(i), connected: true }));

describe('the students a teacher’s screen draws', () => {
  it('draws a whole class, in the order they joined', () => {
    const list = players(SHOWN_PLAYERS);
    expect(newestPlayers(list)).toEqual({ shown: list, more: 0 });
    expect(newestPlayers([])).toEqual({ shown: [], more: 0 });
  });

  it('draws the newest of a contest’s 2 000, newest first, and counts the others', () => {
    const list = players(2000);
    const { shown, more } = newestPlayers(list);
    expect(shown).toHaveLength(SHOWN_PLAYERS);
    expect(shown[0]!.participantId).toBe('p1999');
    expect(shown.at(-1)!.participantId).toBe(`p${2000 - SHOWN_PLAYERS}`);
    expect(more).toBe(2000 - SHOWN_PLAYERS);
    // The list it was given is left as it was.
    expect(list[0]!.participantId).toBe('p0');
  });

  it('finds anyone by part of the nickname, in any case, ignoring spaces around it', () => {
    const list = players(2000, (i) => (i === 7 ? 'Amy Zhang' : i % 2 ? `小明 ${i}` : `Ben ${i}`));
    expect(newestPlayers(list, '  amy z ').shown.map((p) => p.participantId)).toEqual(['p7']);
    // Many matches: the newest of them, and how many more match.
    const ming = newestPlayers(list, '小明');
    expect(ming.shown).toHaveLength(SHOWN_PLAYERS);
    expect(ming.shown.every((p) => p.nickname.startsWith('小明'))).toBe(true);
    expect(ming.more).toBe(999 - SHOWN_PLAYERS); // the odd numbers but Amy's 7
    expect(newestPlayers(list, 'nobody')).toEqual({ shown: [], more: 0 });
    expect(newestPlayers(list, '   ').shown).toHaveLength(SHOWN_PLAYERS);
  });
});
