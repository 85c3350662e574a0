/**
 * A contest: one live game spread over several live rooms ("shards") under a coordinator, for more
 * students than one room serves well (a region's knowledge contest of 20 000). Pure rules, used by
 * the rooms (`worker/rooms/live-room.ts`) and the play room that seats students:
 *
 * - **Placement.** A student's shard is a hash of their participant id, so the Worker, the play
 *   room and the coordinator all find it without asking anyone, and a reconnect lands on the same
 *   shard. A full shard is avoided at the join by drawing another id ({@link placeSeat}).
 * - **Merging.** Each shard scores its own students. After a question it reports its answer
 *   distribution, its best {@link CONTEST_TOP} rows and how many students have each score (not who);
 *   the coordinator sums the distributions, takes the merged top rows, and sends each shard the
 *   class-wide rank of each score that shard holds. A rank is 1 + the number of students with a
 *   higher score anywhere, which is what one room of everyone computes (`rankByScore`), and the
 *   top rows merge in one room's order (score, then join time, then id).
 */
import { ApiError } from '../lib/errors';
import type { PlayerRow } from './state';
// (The size of a shard is in the contract: the teacher's seat form reads it too.)
import { PLAYERS_PER_SHARD, type Distribution } from '../contract';

/** Shards a contest has at most (the coordinator fans every command out to each). */
export const MAX_SHARDS = 44;
/** Rows of the merged ranking: the leaderboards, the podium, and the remote's final list. */
export const CONTEST_TOP = 100;
/** Least time between two reports of a shard to its coordinator (answer counts, arrivals). */
export const SHARD_REPORT_MS = 250;

/** Shards for a contest of `expected` students: room for them with a tenth to spare, within the limits. */
export const contestShards = (expected: number): number =>
  Math.min(MAX_SHARDS, Math.max(1, Math.ceil((expected * 1.1) / PLAYERS_PER_SHARD)));

/** The shard of participant `id` in a contest of `shards` (FNV-1a of the id). */
export function shardOf(id: string, shards: number): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) h = Math.imul(h ^ id.charCodeAt(i), 0x01000193);
  return (h >>> 0) % shards;
}

/** The name of a live room: the session's id for the one room (or the coordinator), `id~k` for shard k. */
export const roomName = (sessionId: string, shard: number | null): string =>
  shard === null ? sessionId : `${sessionId}~${shard}`;

/**
 * A new participant id whose shard has room (`size(k)`: seats on shard k). Ids are random, so draws
 * find a shard with room while any has: with one free shard of 44, 64 draws per shard all miss it
 * with a chance of e^-64. None found means the contest is full.
 */
export function placeSeat(shards: number, size: (shard: number) => number, newId: () => string): string {
  for (let i = 0; i < Math.max(1, shards * 64); i++) {
    const id = newId();
    if (shards <= 1 || size(shardOf(id, shards)) < PLAYERS_PER_SHARD) return id;
  }
  throw new ApiError(409, 'session_full', 'This quiz is full. Ask your teacher.');
}

/** A ranked student as a shard reports it. */
export type TopRow = Pick<PlayerRow, 'id' | 'nickname' | 'joined_at' | 'score' | 'correct' | 'streak' | 'prev_rank'>;

/** What a shard tells the coordinator once a question closes or the game ends. */
export interface ShardStandings {
  /** Students in the shard's game. */
  players: number;
  /** How many of them have each score. */
  counts: { score: number; n: number }[];
  /** Its best {@link CONTEST_TOP} students, best first. */
  top: TopRow[];
  /** How the shard's students answered the question just closed (null at the end without one). */
  distribution: Distribution | null;
}

/** A row of the merged ranking, with its class-wide rank. */
export type MergedRow = TopRow & { rank: number };

/** A merged row as a shard's screens read ranked rows. */
export const asPlayerRow = (r: MergedRow): PlayerRow => ({
  ...r,
  kicked: 0,
  connected_at: null,
  disconnected_at: null,
  answered: 0,
  last_result: null,
  seq: 0,
  // A contest has no teams.
  team: null,
});

/** The contest's standings, merged. */
export interface MergedStandings {
  playerCount: number;
  top: MergedRow[];
  distribution: Distribution | null;
  /** The class-wide rank of a score. */
  rankOf(score: number): number;
}

/** The same counts added up, option by option. */
export function mergeDistributions(parts: readonly (Distribution | null)[]): Distribution | null {
  const present = parts.filter((d): d is Distribution => d !== null);
  if (!present.length) return null;
  const out: Distribution = { players: 0, answered: 0, correct: 0, wrong: 0, late: 0, noAnswer: 0 };
  for (const d of present) {
    out.players += d.players;
    out.answered += d.answered;
    out.correct += d.correct;
    out.wrong += d.wrong;
    out.late += d.late;
    out.noAnswer += d.noAnswer;
    if (d.options) {
      out.options ??= {};
      for (const [k, n] of Object.entries(d.options)) out.options[k] = (out.options[k] ?? 0) + n;
    }
  }
  return out;
}

/** One room's order of ranked rows: score, then join time, then id. */
const byStanding = (a: TopRow, b: TopRow): number =>
  b.score - a.score || a.joined_at - b.joined_at || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/** Merges the shards' reports into the contest's standings (see the module comment). */
export function mergeStandings(reports: readonly ShardStandings[], limit = CONTEST_TOP): MergedStandings {
  const counts = new Map<number, number>();
  for (const r of reports) for (const { score, n } of r.counts) counts.set(score, (counts.get(score) ?? 0) + n);
  // Rank of each score: 1 + how many students scored more.
  const ranks = new Map<number, number>();
  let above = 0;
  for (const score of [...counts.keys()].sort((a, b) => b - a)) {
    ranks.set(score, above + 1);
    above += counts.get(score)!;
  }
  const rankOf = (score: number): number => ranks.get(score) ?? above + 1;
  const top = reports
    .flatMap((r) => r.top)
    .sort(byStanding)
    .slice(0, limit)
    .map((row) => ({ ...row, rank: rankOf(row.score) }));
  return {
    playerCount: reports.reduce((n, r) => n + r.players, 0),
    top,
    distribution: mergeDistributions(reports.map((r) => r.distribution)),
    rankOf,
  };
}

/** What the coordinator sends a shard after merging: the rank of each score the shard holds, and the merged top. */
export interface ShardVerdict {
  position: number;
  playerCount: number;
  /** `[score, rank]` for every score in the shard's report. */
  ranks: [number, number][];
  top: MergedRow[];
  distribution: Distribution | null;
}

/** The verdict for the shard that sent `report`. */
export const verdictFor = (report: ShardStandings, merged: MergedStandings, position: number): ShardVerdict => ({
  position,
  playerCount: merged.playerCount,
  ranks: report.counts.map(({ score }) => [score, merged.rankOf(score)]),
  top: merged.top,
  distribution: merged.distribution,
});

/** A shard's count of the open question, sent to the coordinator at most every {@link SHARD_REPORT_MS}. */
export interface ShardCount {
  /** The question counted (-1 when none is open). */
  index: number;
  answered: number;
  /** Students connected to the shard now. */
  connected: number;
  /** Every student the shard expects has answered (or it expects nobody). */
  done: boolean;
}

/** A student as the coordinator lists them for the teacher's screens. */
export interface Arrival {
  id: string;
  nickname: string;
  joinedAt: number;
  connected: boolean;
}

/** A shard's report: who came or went, and who was removed, since the last one; and the count. */
export interface ShardReport {
  shard: number;
  arrivals: Arrival[];
  removed: string[];
  count: ShardCount;
}
