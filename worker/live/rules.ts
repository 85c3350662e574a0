/**
 * The live game's scoring and ranking rules: pure functions over plain values, so the Durable
 * Object stays about storage and sockets. Points per answer come from the same formula as
 * self-paced play (`pointsFor` in `worker/questions/scoring.ts`); the live game adds a streak bonus.
 */
import { isUngraded, type Distribution, type Question, type RankedTeam } from '../contract';

/** Most streak bonus a single answer earns. */
export const MAX_STREAK_BONUS = 500;

/**
 * Streak bonus for an answer that extends the streak to `streak` right answers in a row:
 * 0 for the first, +100 at 2, rising by 100 to +500 at 6 or more.
 */
export const streakBonus = (streak: number): number =>
  streak < 2 ? 0 : Math.min(MAX_STREAK_BONUS, (streak - 1) * 100);

/** What the room stores for one answer when it arrives. */
export interface StoredAnswer {
  /** The response as sent, or null for a student who did not answer before the question closed. */
  response: unknown;
  /** Graded right (regardless of time). */
  correct: boolean;
  /** Points before the streak bonus: `pointsFor(credit, timeMs, limitMs)`, 0 when late or wrong. */
  base: number;
  timeMs: number;
}

/** A student's running totals. */
export interface Totals {
  score: number;
  correct: number;
  streak: number;
  /** Questions closed while the student was in the game (answered or not): the D1 `position`. */
  answered: number;
}

/** The outcome of one closed question for one student. */
export interface Outcome {
  totals: Totals;
  answered: boolean;
  late: boolean;
  /** Points for the question, bonus included. */
  points: number;
  bonus: number;
}

/**
 * Scores one student's answer (or none) when the question closes. A streak continues only with
 * a right answer in time (`base > 0` or an untimed right answer); a wrong, late or missing answer
 * resets it. `correct` totals count graded-right answers, late ones included, as self-paced play does.
 * An ungraded answer (`ungraded`: a poll's vote, an open answer) is neither right nor wrong: it earns
 * nothing and leaves the streak as it was.
 */
export function scoreAnswer(before: Totals, answer: StoredAnswer, limitMs: number, ungraded = false): Outcome {
  const answered = answer.response !== null;
  const late = answered && limitMs > 0 && answer.timeMs > limitMs;
  const inTime = !ungraded && answered && answer.correct && !late;
  const streak = ungraded ? before.streak : inTime ? before.streak + 1 : 0;
  const bonus = inTime ? streakBonus(streak) : 0;
  const points = ungraded ? 0 : answer.base + bonus;
  return {
    totals: {
      score: before.score + points,
      correct: before.correct + (!ungraded && answered && answer.correct ? 1 : 0),
      streak,
      answered: before.answered + 1,
    },
    answered,
    late,
    points,
    bonus,
  };
}

/** Ranks by score, highest first; equal scores share a rank (1, 2, 2, 4). Keeps the input order within a tie. */
export function rankByScore<T extends { score: number }>(rows: readonly T[]): (T & { rank: number })[] {
  const sorted = rows.map((row, i) => ({ row, i })).sort((a, b) => b.row.score - a.row.score || a.i - b.i);
  let rank = 0;
  return sorted.map(({ row }, i) => {
    if (i === 0 || sorted[i - 1]!.row.score !== row.score) rank = i + 1;
    return { ...row, rank };
  });
}

/** A student's outcome of a closed question and their place among the new totals. */
export interface Scored<T> {
  /** The student's row as it was before the question closed. */
  before: T;
  answer: StoredAnswer;
  outcome: Outcome;
  rank: number;
}

/**
 * Scores a closed question: every student in the game with their stored answer (a null response for
 * none), in join order. Returns each outcome with the new rank (best first, ties in join order) and
 * the class's distribution.
 */
export function scoreQuestion<T extends Totals>(
  q: Question,
  entries: readonly { before: T; answer: StoredAnswer }[],
  limitMs: number,
): { scored: Scored<T>[]; distribution: Distribution } {
  const outcomes = entries.map((e) => {
    const outcome = scoreAnswer(e.before, e.answer, limitMs, isUngraded(q.type));
    return { ...e, outcome, score: outcome.totals.score };
  });
  const answers = outcomes.map(({ answer, outcome }) => ({ ...answer, late: outcome.late }));
  return {
    scored: rankByScore(outcomes).map(({ score: _score, ...s }) => s),
    distribution: distribution(q, answers),
  };
}

/** Counts how the class answered `q`. `answers` holds one entry per student in the game (null response: no answer). */
export function distribution(
  q: Question,
  answers: readonly { response: unknown; correct: boolean; late: boolean }[],
): Distribution {
  const out: Distribution = { players: answers.length, answered: 0, correct: 0, wrong: 0, late: 0, noAnswer: 0 };
  const options: Record<string, number> | undefined =
    q.type === 'single' || q.type === 'multi' || q.type === 'poll'
      ? Object.fromEntries(q.options.map((o) => [o.id, 0]))
      : q.type === 'truefalse'
        ? { true: 0, false: 0 }
        : undefined;
  for (const a of answers) {
    if (a.response === null) {
      out.noAnswer++;
      continue;
    }
    out.answered++;
    // A poll's votes and open answers are neither right nor wrong.
    if (!isUngraded(q.type)) {
      if (a.correct && !a.late) out.correct++;
      else out.wrong++;
    }
    if (a.late) out.late++;
    if (!options) continue;
    const r = a.response as { optionId?: unknown; optionIds?: unknown; value?: unknown };
    const chosen =
      q.type === 'single' || q.type === 'poll'
        ? [r.optionId]
        : q.type === 'multi'
          ? Array.isArray(r.optionIds)
            ? r.optionIds
            : []
          : [String(r.value)];
    for (const key of chosen) if (typeof key === 'string' && key in options) options[key]!++;
  }
  if (options) out.options = options;
  return out;
}

/**
 * The team a student joining now goes to: the one with the fewest members, the lowest number among
 * equals, so that teams stay even as the class arrives. `sizes` maps team numbers to members in the
 * game (teams missing from it have none); teams go from 1 to `teams`.
 */
export function placeInTeam(sizes: ReadonlyMap<number, number>, teams: number): number {
  let best = 1;
  for (let team = 2; team <= teams; team++) if ((sizes.get(team) ?? 0) < (sizes.get(best) ?? 0)) best = team;
  return best;
}

/**
 * Ranks the teams by the average of their members' scores (rounded to a whole point, the figure
 * the screens show, so that equal figures share a rank). `members` are the students in the game;
 * those without a team are left out, and so are teams without members (they have no average).
 * Ties keep team order.
 */
export function rankTeams(members: readonly { team: number | null; score: number }[]): RankedTeam[] {
  const sums = new Map<number, { total: number; members: number }>();
  for (const { team, score } of members) {
    if (team === null) continue;
    const sum = sums.get(team) ?? { total: 0, members: 0 };
    sum.total += score;
    sum.members++;
    sums.set(team, sum);
  }
  const teams = [...sums]
    .sort(([a], [b]) => a - b)
    .map(([team, sum]) => ({ team, score: Math.round(sum.total / sum.members), members: sum.members }));
  return rankByScore(teams).map(({ rank, team, score, members }) => ({ rank, team, score, members }));
}

/** The rank of `team` in `ranking`; null when the team is not ranked (no members, or no team). */
export const teamRankOf = (ranking: readonly RankedTeam[], team: number | null): number | null =>
  ranking.find((t) => t.team === team)?.rank ?? null;
