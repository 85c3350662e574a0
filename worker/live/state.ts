/**
 * The live room's stored shapes (see `store.ts` for where they live). Kept free of Workers types,
 * so that the pure modules (`host-machine.ts`, `messages.ts`) and their tests in Node use them too.
 */
import type { Distribution, LivePhase } from '../contract';

/** Facts about the session the room was opened for (from the Worker, which read them from D1). */
export interface SessionMeta {
  sessionId: string;
  code: string;
  title: string;
  timeLimitSec: number;
  lang: 'zh' | 'en' | 'both';
  partialCredit: boolean;
  shuffleOptions: boolean;
  showLeaderboard: boolean;
  questionCount: number;
  /** The session's secret for the ids its students see (see `worker/questions/session-ids.ts`). */
  idSalt: string;
  /** Live rooms the game is spread over: 1 for one room, more for a contest (`contest.ts`). */
  shards: number;
  /** In a contest, this room's shard; null for the one room of a game, or a contest's coordinator. */
  shard: number | null;
  /** Teams the students are placed in; 0 when they play alone (never in a contest). */
  teams: number;
}

/** The game's state. Server times are epoch milliseconds. */
export interface GameState {
  phase: LivePhase;
  /** Index of the current (or last) question in `questions`; -1 in the lobby. */
  index: number;
  /** When the open question started, moved forward by pauses so that `now - startedAt` is answering time. */
  startedAt: number | null;
  /** Deadline of the open question; null when untimed or while paused. */
  endsAt: number | null;
  /** While paused: when the pause began (the time left is frozen in `pausedRemainingMs`). */
  pausedAt: number | null;
  pausedRemainingMs: number | null;
  /** Distribution of the last closed question (for the reveal snapshot). */
  distribution: Distribution | null;
  endedAt: number | null;
  /** Change counter: every change to a player's totals takes the next value (see `players.seq`). */
  seq: number;
  /** Every player change up to this `seq` has reached D1. */
  syncedSeq: number;
  /** True once D1 knows the session is closed (after the end). */
  sessionClosedSynced: boolean;
  /** When a failed D1 write is retried (by the alarm); null when nothing failed. */
  syncRetryAt: number | null;
  /**
   * Last teacher command or teacher connection (students' answers and connections are dated in
   * their own rows); with those, tells when the room has gone idle (see `IDLE_END_MS`).
   */
  activeAt: number | null;
  /** True once the teacher closed the session: the room takes nothing more (see `LiveRoom.close`). */
  shut: boolean;
}

export const INITIAL_GAME: GameState = {
  phase: 'lobby',
  index: -1,
  startedAt: null,
  endsAt: null,
  pausedAt: null,
  pausedRemainingMs: null,
  distribution: null,
  endedAt: null,
  seq: 0,
  syncedSeq: 0,
  sessionClosedSynced: false,
  syncRetryAt: null,
  activeAt: null,
  shut: false,
};

/**
 * A row of `players`. A type alias, not an interface: only an alias meets the SQL API's
 * `Record<string, SqlStorageValue>` row constraint without naming that Workers type.
 */
export type PlayerRow = {
  id: string;
  nickname: string;
  joined_at: number;
  kicked: number;
  connected_at: number | null;
  disconnected_at: number | null;
  score: number;
  correct: number;
  streak: number;
  answered: number;
  rank: number | null;
  prev_rank: number | null;
  /** JSON of the player's last `result` message. */
  last_result: string | null;
  seq: number;
  /** Team mode: the student's team, given when they first connected (the teacher may move them); null otherwise. */
  team: number | null;
};
