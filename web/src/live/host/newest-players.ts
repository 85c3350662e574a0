/**
 * What a teacher's screen draws of the students in the game. A contest's lobby fills with
 * thousands: drawn one by one they would be unreadable from the back row, and every arrival would
 * re-render and lay out thousands of nodes. The projector and the remote draw at most a class's
 * worth (on the remote, of those whose nickname matches a search) and say how many more there are.
 */
import type { LobbyPlayer } from '../../../../worker/contract';

/** Students drawn at most: a whole class, so that a single class's lobby shows everyone. */
export const SHOWN_PLAYERS = 60;

/** The students to draw, and how many more there are. */
export interface PlayerWindow {
  shown: LobbyPlayer[];
  more: number;
}

/**
 * The students of `players` (in the order they joined) whose nickname contains `search` (any
 * case): all of them, in that order, while they fit; past {@link SHOWN_PLAYERS}, the newest first,
 * so that arrivals show at the top of a list whose older end is out of sight.
 */
export function newestPlayers(players: readonly LobbyPlayer[], search = ''): PlayerWindow {
  const q = search.trim().toLocaleLowerCase();
  const matching = q ? players.filter((p) => p.nickname.toLocaleLowerCase().includes(q)) : players;
  if (matching.length <= SHOWN_PLAYERS) return { shown: [...matching], more: 0 };
  return { shown: matching.slice(-SHOWN_PLAYERS).reverse(), more: matching.length - SHOWN_PLAYERS };
}
