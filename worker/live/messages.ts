/**
 * The live room's messages to its screens, built from plain values: the question, the reveal, each
 * student's result, the standings, the podium, and the snapshot that shows a (re)connecting screen
 * where the game is. Who sees what is decided here (answer keys only in the reveal, other students'
 * ids only for the teacher, ranks only when the teacher shows them); the room reads and sends.
 * Questions, options and targets leave the room in the session's ids only, never their bank ids.
 */
import { reveal, toStudent } from '../questions/present';
import type { SessionIds } from '../questions/session-ids';
import { distribution, teamRankOf, type Scored } from './rules';
import type { GameState, PlayerRow, SessionMeta } from './state';
import {
  PODIUM_SIZE,
  type AnswerCountMessage,
  type CloudMessage,
  type FinalMessage,
  type LeaderboardMessage,
  type PlayerStanding,
  type Question,
  type QuestionMessage,
  type RankedPlayer,
  type RankedTeam,
  type ResultMessage,
  type RevealMessage,
  type ServerMessage,
  type StudentQuestion,
  type WelcomeMessage,
  type HostsMessage,
  type LiveScreen,
  type LobbyPlayer,
} from '../contract';

/** Rows in the top list after each question. */
export const LEADERBOARD_SIZE = 5;
/** The projector's shuffle seed: its order is its own, not any student's. */
const PROJECTOR_SEED = 'projector';
/** The seed of a question all students see in the same order. */
const SHARED_SEED = '';

/** Who a message is for. */
export type Viewer = { role: 'host'; screen: LiveScreen } | { role: 'player'; participantId: string };

/** The teacher's screens connected now. */
export interface HostCount {
  projectors: number;
  remotes: number;
}

/** Students connected now, by participant id (the room's socket map fits). */
export interface Connected {
  has(participantId: string): boolean;
  readonly size: number;
}

/**
 * What the room knows at the moment a snapshot is taken; the methods are called only as the phase
 * needs. Inside the room questions go by their bank ids, as in storage and D1.
 */
export interface RoomView {
  now: number;
  session: SessionMeta;
  game: GameState;
  /** Questions copied into the room; 0 until they are loaded. */
  questionCount: number;
  /** Students in the game. */
  playerCount: number;
  question(index: number): Question;
  player(participantId: string): PlayerRow | null;
  /** Students in the game, in join order. */
  activePlayers(): readonly PlayerRow[];
  connected(): Connected;
  answerCount(questionId: string): number;
  hasAnswered(questionId: string, participantId: string): boolean;
  /** The word cloud of an open question (for the teacher's screens); null for any other type. */
  cloud(q: Question): CloudMessage | null;
  /** Students with a rank, best first; the first `limit` when given. */
  ranking(limit?: number): readonly PlayerRow[];
  /** Team mode: the teams ranked (empty before any member); empty without teams. */
  teamRanking(): readonly RankedTeam[];
  /** The session's ids (once the questions are in the room). */
  ids(): SessionIds;
  /** The teacher's screens connected now. */
  hosts(): HostCount;
}

/** What a question frame says besides the question: the session's timing, the question count, the time, the ids. */
type QuestionContext = Pick<RoomView, 'session' | 'questionCount' | 'now' | 'ids'>;

/**
 * A student's own standing; in team mode with their team, and its rank in `teams` once ranks exist
 * (before the first question closes nobody has a rank, and no team either).
 */
export const standing = (
  row: PlayerRow,
  showLeaderboard: boolean,
  teams: readonly RankedTeam[] = [],
): PlayerStanding => ({
  participantId: row.id,
  nickname: row.nickname,
  score: row.score,
  correct: row.correct,
  streak: row.streak,
  rank: showLeaderboard ? row.rank : null,
  ...teamOf(row.team, showLeaderboard && row.rank !== null ? teams : []),
});

/** The team fields of a student's messages: none without a team, the team's rank when shown. */
const teamOf = (team: number | null, teams: readonly RankedTeam[]): { team?: number; teamRank?: number | null } =>
  team === null ? {} : { team, teamRank: teamRankOf(teams, team) };

/** True when students see `q` differently (items shuffled per student): each then gets a frame of their own. */
const perStudent = (q: Question, session: SessionMeta): boolean =>
  q.type === 'ordering' ||
  q.type === 'matching' ||
  ((q.type === 'single' || q.type === 'multi') && session.shuffleOptions);

/** The shuffle seed of `q` for `viewer`: the projector's, the student's own when shuffled per student, else shared. */
const questionSeed = (q: Question, session: SessionMeta, viewer: Viewer): string =>
  viewer.role === 'host' ? PROJECTOR_SEED : perStudent(q, session) ? viewer.participantId : SHARED_SEED;

/** `q` as `seed`'s viewer sees it (items in their order), in the room's bank ids. */
const seenBy = (q: Question, seed: string, session: SessionMeta): StudentQuestion =>
  toStudent(q, seed, { shuffleOptions: session.shuffleOptions });

function questionMessage(
  game: GameState,
  seen: StudentQuestion,
  { session, questionCount, now, ids }: QuestionContext,
): QuestionMessage {
  const paused = game.pausedAt !== null;
  if (game.phase !== 'question')
    // Shown again under its reveal: closed, no time left, and never paused.
    return {
      type: 'question',
      position: game.index,
      total: questionCount,
      question: ids().student(seen),
      limitMs: session.timeLimitSec * 1000,
      remainingMs: 0,
      endsAt: null,
      serverTime: now,
      paused: false,
      closed: true,
    };
  return {
    type: 'question',
    position: game.index,
    total: questionCount,
    question: ids().student(seen),
    limitMs: session.timeLimitSec * 1000,
    remainingMs: paused ? game.pausedRemainingMs : game.endsAt === null ? null : Math.max(0, game.endsAt - now),
    endsAt: paused ? null : game.endsAt,
    serverTime: now,
    paused,
  };
}

/** The order of a question's items as a viewer sees them: viewers with the same key get the same frame. */
const orderKey = (seen: StudentQuestion): string =>
  `${seen.options?.map((o) => o.id).join(',') ?? ''}|${seen.targets?.map((t) => t.id).join(',') ?? ''}`;

/**
 * The question as it opens: the projector's frame, and each student's as JSON text, serialized once
 * per distinct order of the items. Unshuffled, that is one text for the whole class; shuffled per
 * student, a student's order comes from a cheap seeded shuffle and the text is built only the first
 * time that order comes up (four options have 24 orders, so a class of 500 costs at most 24
 * serializations, not 500).
 */
export function openingFrames(game: GameState, q: Question, at: QuestionContext) {
  const host = questionMessage(game, seenBy(q, PROJECTOR_SEED, at.session), at);
  const byOrder = new Map<string, string>();
  const frameOf = (seen: StudentQuestion): string => {
    const key = orderKey(seen);
    let frame = byOrder.get(key);
    if (frame === undefined) {
      frame = JSON.stringify(questionMessage(game, seen, at));
      byOrder.set(key, frame);
    }
    return frame;
  };
  const shared = perStudent(q, at.session) ? null : frameOf(seenBy(q, SHARED_SEED, at.session));
  return {
    host,
    student: (participantId: string): string => shared ?? frameOf(seenBy(q, participantId, at.session)),
  };
}

/** The projector's count of answers to the open question, of the students connected. */
export const answerCountMessage = (questionId: string, answered: number, expected: number): AnswerCountMessage => ({
  type: 'answerCount',
  questionId,
  answered,
  expected,
});

export function revealMessage(game: GameState, q: Question, ids: SessionIds): RevealMessage {
  const counts = game.distribution ?? distribution(q, []);
  return {
    type: 'reveal',
    position: game.index,
    questionId: ids.questionId(q.id),
    ...ids.reveal(q, reveal(q)),
    distribution: counts.options ? { ...counts, options: ids.counts(q, counts.options) } : counts,
  };
}

/** A student's result for the question just closed; the rank change is against their rank `before` it. */
export function resultMessage(
  position: number,
  questionId: string,
  { before, answer, outcome, rank: newRank }: Scored<{ rank: number | null; team?: number | null }>,
  {
    showLeaderboard,
    playerCount,
    teams = [],
  }: { showLeaderboard: boolean; playerCount: number; teams?: readonly RankedTeam[] },
): ResultMessage {
  const rank = showLeaderboard ? newRank : null;
  return {
    type: 'result',
    position,
    questionId,
    answered: outcome.answered,
    correct: outcome.answered && answer.correct,
    late: outcome.late,
    points: outcome.points,
    bonus: outcome.bonus,
    streak: outcome.totals.streak,
    score: outcome.totals.score,
    rank,
    rankChange: rank !== null && before.rank !== null ? before.rank - newRank : null,
    playerCount,
    ...teamOf(before.team ?? null, showLeaderboard ? teams : []),
  };
}

/**
 * A stored `result` (JSON) with the student's standing as it is now: in a contest, the rank among
 * every shard's students, which the coordinator sends once the question has closed everywhere.
 */
export function restandResult(
  json: string,
  row: PlayerRow,
  { showLeaderboard, playerCount }: { showLeaderboard: boolean; playerCount: number },
): string {
  const result = JSON.parse(json) as ResultMessage;
  const rank = showLeaderboard ? row.rank : null;
  const rankChange = rank !== null && row.prev_rank !== null ? row.prev_rank - rank : null;
  return JSON.stringify({ ...result, rank, rankChange, playerCount } satisfies ResultMessage);
}

/** Ranked rows as a ranking; students never see other students' ids. */
export const ranked = (rows: readonly PlayerRow[], forHost: boolean): RankedPlayer[] =>
  rows.map((r) => ({
    rank: r.rank!,
    nickname: r.nickname,
    score: r.score,
    correct: r.correct,
    change: r.prev_rank === null ? null : r.prev_rank - r.rank!,
    ...(forHost ? { participantId: r.id } : {}),
  }));

/**
 * The top list after question `position`; `top` holds the first {@link LEADERBOARD_SIZE} ranked rows;
 * in team mode `teams` the team ranking.
 */
export const leaderboardMessage = (
  position: number,
  top: readonly PlayerRow[],
  forHost: boolean,
  playerCount: number,
  teams?: readonly RankedTeam[],
): LeaderboardMessage => ({
  type: 'leaderboard',
  position,
  top: ranked(top, forHost),
  playerCount,
  ...(teams?.length ? { teams: [...teams] } : {}),
});

/** The final standings: ranked rows, best first (the podium at least), and who is in the game. */
export interface Standings {
  ranking: readonly PlayerRow[];
  showLeaderboard: boolean;
  playerCount: number;
  /** Team mode: every team with members, ranked; empty without teams. */
  teams?: readonly RankedTeam[];
}

/** The teacher's screens as the `hosts` message counts them. */
export const hostsMessage = ({ projectors, remotes }: HostCount): HostsMessage => ({
  type: 'hosts',
  projectors,
  remotes,
});

/**
 * The end: the podium (top {@link PODIUM_SIZE}) for every teacher's screen and the full ranking for
 * the remote only (the projector is what the class reads); the podium (when shown) and their own
 * standing for a student. `ranking` needs the full ranking only for a remote.
 */
export function finalMessage(standings: Standings, viewer: LiveScreen | { me: PlayerRow | null }): FinalMessage {
  const { ranking, playerCount } = standings;
  const podium = ranking.slice(0, PODIUM_SIZE);
  const teams = teamPodium(standings, true);
  if (viewer === 'remote')
    return { type: 'final', podium: ranked(podium, true), ranking: ranked(ranking, true), playerCount, ...teams };
  if (viewer === 'projector') return { type: 'final', podium: ranked(podium, true), playerCount, ...teams };
  return studentFinal(studentPodium(standings), viewer.me, standings);
}

/** The team podium of a final (team mode only): for students, empty when the teacher hides rankings. */
const teamPodium = ({ teams, showLeaderboard }: Standings, forHost: boolean): { teams?: RankedTeam[] } =>
  teams?.length ? { teams: forHost || showLeaderboard ? [...teams] : [] } : {};

/** The podium as students see it: ranked without ids, or empty when the teacher hides rankings. */
const studentPodium = ({ ranking, showLeaderboard }: Standings): RankedPlayer[] =>
  showLeaderboard ? ranked(ranking.slice(0, PODIUM_SIZE), false) : [];

const studentFinal = (podium: RankedPlayer[], me: PlayerRow | null, standings: Standings): FinalMessage => ({
  type: 'final',
  podium,
  ...(me ? { me: standing(me, standings.showLeaderboard, standings.teams) } : {}),
  playerCount: standings.playerCount,
  ...teamPodium(standings, false),
});

/** The students' podium frames: the podium built once for the class, each student's own standing in their text. */
export function studentFinals(standings: Standings): (me: PlayerRow | null) => string {
  const podium = studentPodium(standings);
  return (me) => JSON.stringify(studentFinal(podium, me, standings));
}

function welcomeMessage(view: RoomView, viewer: Viewer, me: PlayerRow | null): WelcomeMessage {
  const { session, game } = view;
  const welcome: WelcomeMessage = {
    type: 'welcome',
    role: viewer.role,
    ...(viewer.role === 'host' ? { screen: viewer.screen } : {}),
    serverTime: view.now,
    session: {
      code: session.code,
      title: session.title,
      // Before the questions are copied into the room, the session's own count.
      questionCount: view.questionCount || session.questionCount,
      timeLimitSec: session.timeLimitSec,
      lang: session.lang,
      showLeaderboard: session.showLeaderboard,
      teams: session.teams,
    },
    phase: game.phase,
    position: game.index < 0 ? null : game.index,
    playerCount: view.playerCount,
  };
  if (viewer.role === 'host') {
    const connected = view.connected();
    welcome.players = view.activePlayers().map((p) => lobbyPlayer(p, connected.has(p.id)));
  } else if (me) {
    // The team ranking reads every student's row: only when there is a team rank to show.
    const ranked = me.team !== null && me.rank !== null && session.showLeaderboard;
    welcome.me = standing(me, session.showLeaderboard, ranked ? view.teamRanking() : []);
  }
  return welcome;
}

/** A student as the teacher's screens list them: with their team in team mode. */
export const lobbyPlayer = (row: Pick<PlayerRow, 'id' | 'nickname' | 'team'>, connected: boolean): LobbyPlayer => ({
  participantId: row.id,
  nickname: row.nickname,
  connected,
  ...(row.team !== null ? { team: row.team } : {}),
});

/**
 * `welcome`, then what a screen that had been connected all along would show now: one code path on
 * the client for a first connection and a reconnection. A student's stored `result` is passed on as
 * the JSON text it was stored as.
 */
export function snapshot(view: RoomView, viewer: Viewer): (ServerMessage | string)[] {
  const { game, session } = view;
  const me = viewer.role === 'host' ? null : view.player(viewer.participantId);
  const frames: (ServerMessage | string)[] = [welcomeMessage(view, viewer, me)];
  if (viewer.role === 'host') frames.push(hostsMessage(view.hosts()));
  switch (game.phase) {
    case 'lobby':
      break;
    case 'question': {
      const q = view.question(game.index);
      const questionId = view.ids().questionId(q.id);
      frames.push(questionMessage(game, seenBy(q, questionSeed(q, session, viewer), session), view));
      if (viewer.role === 'host') {
        frames.push(answerCountMessage(questionId, view.answerCount(q.id), view.connected().size));
        const cloud = view.cloud(q);
        if (cloud) frames.push(cloud);
      } else if (view.hasAnswered(q.id, viewer.participantId)) frames.push({ type: 'ack', questionId, repeated: true });
      break;
    }
    case 'reveal': {
      // The question first (closed), so that a reload shows it with its answer, as it was on screen.
      const q = view.question(game.index);
      frames.push(questionMessage(game, seenBy(q, questionSeed(q, session, viewer), session), view));
      frames.push(revealMessage(game, q, view.ids()));
      const cloud = viewer.role === 'host' ? view.cloud(q) : null;
      if (cloud) frames.push(cloud);
      if (me?.last_result && (JSON.parse(me.last_result) as ResultMessage).position === game.index)
        frames.push(me.last_result);
      break;
    }
    case 'leaderboard':
      if (viewer.role === 'host' || session.showLeaderboard)
        frames.push(
          leaderboardMessage(
            game.index,
            view.ranking(LEADERBOARD_SIZE),
            viewer.role === 'host',
            view.playerCount,
            view.teamRanking(),
          ),
        );
      break;
    case 'ended': {
      const remote = viewer.role === 'host' && viewer.screen === 'remote';
      const ranking = view.ranking(remote ? undefined : PODIUM_SIZE);
      const standings = {
        ranking,
        showLeaderboard: session.showLeaderboard,
        playerCount: view.playerCount,
        teams: view.teamRanking(),
      };
      frames.push(finalMessage(standings, viewer.role === 'host' ? viewer.screen : { me }));
      break;
    }
  }
  return frames;
}
