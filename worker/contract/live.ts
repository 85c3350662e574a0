/**
 * The live game's WebSocket protocol: every message between the live room (a Durable Object, one
 * per live session, see `worker/rooms/live-room.ts`) and its clients, the projector (role `host`,
 * the teacher) and the students' devices (role `player`). One JSON object per WebSocket text frame,
 * discriminated by `type`.
 *
 * Plain types and constants, shared by the Durable Object and the web client; the room validates
 * every incoming frame with the zod schemas of worker/live/protocol.ts, which are checked against
 * the types here.
 *
 * ## Connecting
 * No credential travels in a WebSocket address (addresses end up in request logs). A client first
 * asks for a ticket over HTTP, with its credential where the API always takes it:
 * - a student: `POST /api/play/live/ticket` with `Authorization: Bearer <device token>`;
 * - a teacher: `POST /api/sessions/:id/live/ticket` with `Authorization: Bearer <teacher key>` or
 *   the signed-in owner's cookie, body {@link LiveTicketRequest} (which screen this is).
 * Both answer {@link LiveTicket}, or the API's JSON error (401, 403, 404, 409 not live or not open
 * yet, 410 closed). Then `GET <LiveTicket.url>` (`/api/live?ticket=…`) with `Upgrade: websocket`.
 * A ticket opens one connection, once, within {@link LIVE_TICKET_TTL_SEC} seconds; every
 * (re)connection asks for a new one. The upgrade itself reads nothing from D1: the ticket names its
 * session and the session's room checks and spends it. A refused upgrade is the API's JSON error:
 * 401 `ticket_invalid` (unknown, spent or expired: ask for a new ticket), 410 `session_closed`,
 * 426 `upgrade_required`.
 *
 * After the upgrade the server first sends `welcome`, then the messages that show the current
 * phase exactly as a client that had been connected all along would have received them (a
 * *snapshot*): a client needs one code path for both a first connection and a reconnection.
 * `{"type":"sync"}` asks for that snapshot again at any time.
 *
 * ## The game's phases
 * `lobby` → (`start`) → `question` → (time up, everyone answered, or `reveal`) → `reveal` →
 * (`next`) → `leaderboard` → (`next`) → `question` … After the last question's reveal, `next`
 * goes to `ended` (podium and final ranking). `skip` abandons the open question unscored and moves
 * to the next one; `end` finishes the game from any phase (an open question is scored first).
 * `pause`/`resume` freeze and restart the countdown of an open question.
 *
 * ## Time
 * The server alone times answers. Messages carry `remainingMs` (count down from the moment the
 * message arrives: immune to a wrong device clock) and `endsAt`/`serverTime` (server epoch ms).
 * Untimed sessions (time limit 0) have `limitMs: 0` and `remainingMs`/`endsAt` null.
 *
 * ## Keep-alive and limits
 * Send exactly `{"type":"ping"}`; the runtime answers `{"type":"pong"}` without waking the room.
 * Any other frame counts against the socket's budget ({@link FRAME_LIMIT}); a socket that goes
 * beyond it is closed with {@link LIVE_CLOSE_CODES}.flooding, and nobody else notices.
 *
 * ## The end of the room
 * When the teacher closes the session (or it is deleted) the room tells every screen (`closed`),
 * closes every socket with `closed` or `deleted` and accepts nothing more; a deleted session's
 * room also empties its storage.
 */
import type { Reveal, StudentQuestion } from './questions';

/** Who is at the other end of a socket. */
export type LiveRole = 'host' | 'player';

/**
 * A teacher's screen: the `projector` shows the game to the class (podium only at the end), the
 * `remote` is the teacher's own device (controls, every student, the full ranking).
 */
export type LiveScreen = 'projector' | 'remote';
export const LIVE_SCREENS = ['projector', 'remote'] as const satisfies readonly LiveScreen[];

/** Body of `POST /api/sessions/:id/live/ticket`. */
export interface LiveTicketRequest {
  screen: LiveScreen;
}

/** A single-use pass to open one live connection (see "Connecting"). */
export interface LiveTicket {
  ticket: string;
  /** The WebSocket path to open, ticket included: `/api/live?ticket=…`. */
  url: string;
  expiresInSec: number;
}

/** How long a ticket stays valid, in seconds. */
export const LIVE_TICKET_TTL_SEC = 30;

/** Where the game is. */
export type LivePhase = 'lobby' | 'question' | 'reveal' | 'leaderboard' | 'ended';

/**
 * WebSocket close codes the server uses (besides 1000/1001): `replaced` when the same student or
 * teacher connected again elsewhere (the newer connection wins, so no one ever appears twice),
 * `kicked` when the teacher removed the student, `closed`/`deleted` when the teacher closed or
 * deleted the session, `flooding` when the socket sent more than {@link FRAME_LIMIT} allows. A
 * client does not reconnect after any of these.
 */
export const LIVE_CLOSE_CODES = { replaced: 4000, kicked: 4001, closed: 4002, deleted: 4003, flooding: 4008 } as const;
export type LiveCloseCode = (typeof LIVE_CLOSE_CODES)[keyof typeof LIVE_CLOSE_CODES];

/** Largest client frame the server reads (an answer is far smaller). */
export const MAX_CLIENT_FRAME = 8 * 1024;

/**
 * Frames a socket may send (pings answered by the runtime do not count): a bucket of `burst`
 * frames that refills at `perSecond`. A student answers once per question and a teacher presses a
 * key now and then; only a script reaches it.
 */
export const FRAME_LIMIT = { burst: 20, perSecond: 5 } as const;

// ---------------------------------------------------------------------------------------------
// Client → server (worker/live/protocol.ts validates every frame against these)
// ---------------------------------------------------------------------------------------------

/** Teacher's commands. Each is refused with `error` `not_now` outside the phase it belongs to. */
export type HostMessage =
  /** Lobby → first question. */
  | { type: 'start' }
  /** Reveal → leaderboard (or → ended after the last question); leaderboard → next question. */
  | { type: 'next' }
  /** Close the open question now and reveal it (as if time were up). */
  | { type: 'reveal' }
  /** Freeze the open question's countdown; answers are refused (`paused`) until `resume`. */
  | { type: 'pause' }
  | { type: 'resume' }
  /** Abandon the open question: not scored, not recorded; go on to the next one (or end). */
  | { type: 'skip' }
  /** Finish the game now: podium and final ranking. */
  | { type: 'end' }
  /** Remove a student: their nickname leaves the game and the session's results. */
  | { type: 'kick'; participantId: string }
  /** Team mode: move a student to another team (1 to the session's `teams`), while no question is open. */
  | { type: 'team'; participantId: string; team: number }
  /**
   * Take a student's open answer out of the word cloud (`hidden: false` puts it back). Any phase
   * after the answer arrived; it stays hidden in the reports. Refused with `not_now` when there is
   * no such answer to an open question.
   */
  | { type: 'hide'; questionId: string; participantId: string; hidden: boolean };

/**
 * A student's answer to the open question, shaped by its type as in self-paced play (`{ optionId }`,
 * `{ optionIds }`, `{ value }`, `{ order }`, `{ pairs }`, `{ text }`). One per question: a repeat
 * gets the same `ack` with `repeated: true` and changes nothing.
 */
export interface PlayerMessage {
  type: 'answer';
  questionId: string;
  response: unknown;
}

/** Either role: `ping` keeps the socket alive (answered by the runtime), `sync` resends the snapshot. */
export type CommonMessage = { type: 'ping' } | { type: 'sync' };

/** A message from a client (host or player). */
export type ClientMessage = HostMessage | PlayerMessage | CommonMessage;

// ---------------------------------------------------------------------------------------------
// Server → client
// ---------------------------------------------------------------------------------------------

/** The session as the live screens show it. */
export interface LiveSessionInfo {
  code: string;
  title: string;
  questionCount: number;
  /** Seconds per question; 0 = untimed. */
  timeLimitSec: number;
  lang: 'zh' | 'en' | 'both';
  /** False when the teacher hides rankings from students: players then get no `leaderboard` and `rank` is null. */
  showLeaderboard: boolean;
  /** Teams the students are placed in ({@link MIN_TEAMS} to {@link MAX_TEAMS}); 0 when they play alone. */
  teams: number;
}

/** The fewest and most teams a live session may have (0 turns team mode off). */
export const MIN_TEAMS = 2;
export const MAX_TEAMS = 8;

/**
 * A team's standing. Its score is the average of its members' points (rounded), so that a bigger
 * team does not win by its size; members removed by the teacher do not count. Equal scores share a
 * rank, as students' do. Teams go by number (1 to {@link MAX_TEAMS}); each screen names them in its language.
 */
export interface RankedTeam {
  rank: number;
  team: number;
  score: number;
  /** Students in the team now. */
  members: number;
}

/** A student as the projector's lobby lists them. */
export interface LobbyPlayer {
  participantId: string;
  nickname: string;
  connected: boolean;
  /** Team mode only: the student's team. */
  team?: number;
}

/** A row of a ranking. Equal scores share a rank (1, 2, 2, 4). */
export interface RankedPlayer {
  rank: number;
  nickname: string;
  score: number;
  /** Questions answered right. */
  correct: number;
  /** Places gained (positive) or lost (negative) by the last question; null before there was a rank. */
  change: number | null;
  /** Only in messages to the host (for `kick`); students never see other students' ids. */
  participantId?: string;
}

/** A student's own standing. */
export interface PlayerStanding {
  participantId: string;
  nickname: string;
  score: number;
  correct: number;
  /** Right answers in a row, in time. */
  streak: number;
  /** Null before the first question closes, or when rankings are hidden from students. */
  rank: number | null;
  /** Team mode only: the student's team. */
  team?: number;
  /** Team mode only: the team's rank; null before the first question closes, or when rankings are hidden. */
  teamRank?: number | null;
}

/** How the class answered a question (in the reveal). */
export interface Distribution {
  /** Students in the game when the question closed. */
  players: number;
  answered: number;
  correct: number;
  /** Answered but not right (late answers included). */
  wrong: number;
  /** Answered after the deadline (scored 0). */
  late: number;
  noAnswer: number;
  /**
   * Answers per choice: option id → count for single and multiple choice (each chosen option
   * counts), `true`/`false` → count for true/false; absent for the other types.
   */
  options?: Record<string, number>;
}

/** First message on every connection (and on `sync`). */
export interface WelcomeMessage {
  type: 'welcome';
  role: LiveRole;
  /** Host only: which of the teacher's screens this is. */
  screen?: LiveScreen;
  serverTime: number;
  session: LiveSessionInfo;
  phase: LivePhase;
  /** Index (0-based) of the current or last question; null in the lobby. */
  position: number | null;
  playerCount: number;
  /** Host only: every student in the game. */
  players?: LobbyPlayer[];
  /** Player only. */
  me?: PlayerStanding;
}

/** Host: a student joined, reconnected or dropped (upsert by `participantId`). */
export interface PlayerMessageOut {
  type: 'player';
  player: LobbyPlayer;
  playerCount: number;
}

/** Host: the teacher's screens connected now (sent to every host when one comes or goes). */
export interface HostsMessage {
  type: 'hosts';
  projectors: number;
  remotes: number;
}

/** Host: a student was removed. */
export interface PlayerRemovedMessage {
  type: 'playerRemoved';
  participantId: string;
  playerCount: number;
}

/**
 * A question opens (or, in a snapshot, is open). Never contains the answer. In the snapshot of a
 * reveal it comes just before the `reveal`, with `closed: true`, so that a screen that reloads
 * shows the question with its answer.
 */
export interface QuestionMessage {
  type: 'question';
  /** 0-based index of the question in the game (as `position` in every message). */
  position: number;
  total: number;
  question: StudentQuestion;
  /** The time limit; 0 when untimed. */
  limitMs: number;
  /** Time left when the message was sent (frozen while paused); null when untimed. */
  remainingMs: number | null;
  /** Server time the question closes; null when untimed or paused. */
  endsAt: number | null;
  serverTime: number;
  paused: boolean;
  /** The question has closed already (the reveal follows). */
  closed?: true;
}

/**
 * Host: how many have answered the open question, of how many expected (students connected now).
 * Sent when a question opens, then at most ten times a second while answers arrive (the last
 * figure always follows), and in a snapshot.
 */
export interface AnswerCountMessage {
  type: 'answerCount';
  questionId: string;
  answered: number;
  expected: number;
}

/** A word of the cloud, and in how many answers it stands. */
export interface CloudWord {
  word: string;
  count: number;
}

/** A student's open answer, as the teacher's screens list it. */
export interface OpenAnswer {
  participantId: string;
  nickname: string;
  text: string;
  /** The teacher took it out of the cloud. */
  hidden: boolean;
}

/** Most open answers a `cloud` message lists (the newest). */
export const OPEN_LIST_SIZE = 200;

/**
 * Host only: the word cloud of an open question (the biggest words of the answers not hidden) and
 * the newest answers, for the teacher to hide one. Sent with each answer count while the question is
 * open (so as often, no more), at the reveal, when the teacher hides or shows an answer, and in a
 * snapshot of the question or its reveal. Students never get other students' answers.
 */
export interface CloudMessage {
  type: 'cloud';
  questionId: string;
  /** Answers given (hidden ones included). */
  answered: number;
  /** Answers hidden by the teacher. */
  hidden: number;
  words: CloudWord[];
  /** Newest first, at most {@link OPEN_LIST_SIZE}. */
  answers: OpenAnswer[];
}

/** Player: the answer is stored (sent only after the write). Says nothing about right or wrong. */
export interface AckMessage {
  type: 'ack';
  questionId: string;
  /** True when this question had already been answered (the first answer stands). */
  repeated: boolean;
}

export interface PausedMessage {
  type: 'paused';
  questionId: string;
  remainingMs: number | null;
}

export interface ResumedMessage {
  type: 'resumed';
  questionId: string;
  remainingMs: number | null;
  endsAt: number | null;
  serverTime: number;
}

/** The question closed: the answer, its proof, and how the class answered. Sent to everyone. */
export interface RevealMessage extends Reveal {
  type: 'reveal';
  position: number;
  questionId: string;
  distribution: Distribution;
}

/** Player: their own result for the question just revealed. */
export interface ResultMessage {
  type: 'result';
  position: number;
  questionId: string;
  answered: boolean;
  correct: boolean;
  late: boolean;
  /** Points for this question, streak bonus included. */
  points: number;
  /** Streak bonus within `points`: +100 at 2 right in a row, rising by 100 to +500 at 6 or more. */
  bonus: number;
  streak: number;
  score: number;
  rank: number | null;
  rankChange: number | null;
  playerCount: number;
  /** Team mode only: the student's team. */
  team?: number;
  /** Team mode only: the team's rank after this question; null when rankings are hidden. */
  teamRank?: number | null;
}

/** The top 5 after a question, with rank changes. */
export interface LeaderboardMessage {
  type: 'leaderboard';
  position: number;
  top: RankedPlayer[];
  playerCount: number;
  /** Team mode only: every team with members, best first. */
  teams?: RankedTeam[];
}

/**
 * The game is over: the podium (the top {@link PODIUM_SIZE}: three on the steps, the next two beside
 * them) for every screen; the full ranking for the teacher's remote only (never for the projector
 * the class reads); for a player, their own standing.
 */
export interface FinalMessage {
  type: 'final';
  podium: RankedPlayer[];
  ranking?: RankedPlayer[];
  me?: PlayerStanding;
  playerCount: number;
  /** Team mode only: the team podium, every team with members, best first (empty for students when rankings are hidden). */
  teams?: RankedTeam[];
}

/** The teacher skipped the open question; the next question (or the end) follows. */
export interface SkippedMessage {
  type: 'skipped';
  position: number;
  questionId: string;
}

/** Rows of the final podium. */
export const PODIUM_SIZE = 5;

/**
 * The teacher closed or deleted the session: the game is over for good and the socket closes with
 * {@link LIVE_CLOSE_CODES}.closed or .deleted right after.
 */
export interface ClosedMessage {
  type: 'closed';
  reason: 'closed' | 'deleted';
}

/** Player: removed by the teacher; the socket closes with {@link LIVE_CLOSE_CODES}.kicked. */
export interface KickedMessage {
  type: 'kicked';
  message: string;
}

export interface PongMessage {
  type: 'pong';
}

/** Why a message was refused. The connection stays open and the game goes on. */
export type LiveErrorCode =
  /** Not JSON, not a known message, or fields of the wrong shape. */
  | 'malformed'
  /** A student sent a teacher's command. */
  | 'forbidden'
  /** The command does not fit the current phase. */
  | 'not_now'
  /** The answer names another question than the open one. */
  | 'not_current_question'
  /** No question is open (it closed before the answer arrived). */
  | 'question_closed'
  | 'paused'
  /** The response does not fit the question (wrong shape, unknown option). */
  | 'invalid_answer'
  | 'unknown_player'
  /** The session has no such team (or plays without teams). */
  | 'no_such_team'
  | 'no_questions'
  | 'internal';

export interface ErrorMessage {
  type: 'error';
  code: LiveErrorCode;
  message: string;
}

/** Every message the server sends. */
export type ServerMessage =
  | WelcomeMessage
  | PlayerMessageOut
  | HostsMessage
  | PlayerRemovedMessage
  | QuestionMessage
  | AnswerCountMessage
  | CloudMessage
  | AckMessage
  | PausedMessage
  | ResumedMessage
  | RevealMessage
  | ResultMessage
  | LeaderboardMessage
  | FinalMessage
  | SkippedMessage
  | ClosedMessage
  | KickedMessage
  | PongMessage
  | ErrorMessage;

/** The server message of a given `type`. */
export type ServerMessageOf<T extends ServerMessage['type']> = Extract<ServerMessage, { type: T }>;

/** The exact keep-alive frames the runtime answers by itself. */
export const PING_FRAME = '{"type":"ping"}';
export const PONG_FRAME = '{"type":"pong"}';

/** The most students one live room (or a self-paced session) is set to take. */
export const MAX_ROOM_PLAYERS = 1000;
/** The most students a session may take from one network address (a school behind one address). */
export const MAX_SEATS_PER_NETWORK = 1000;
/** The fewest students a contest is created for. */
export const MIN_CONTEST_PLAYERS = 2;
/** The most students a contest (a live game over several rooms, `worker/live/contest.ts`) is created for. */
export const MAX_CONTEST_PLAYERS = 20_000;
/** Students one room of a contest takes at most; a join that would land on a full room draws another id. */
export const PLAYERS_PER_SHARD = 500;

/**
 * The most students a session of `shards` live rooms may be set to take (its seat limit's ceiling,
 * checked by the server and offered by the teacher's seat form).
 */
export const seatCapacity = (shards: number): number =>
  shards > 1 ? Math.min(MAX_CONTEST_PLAYERS, shards * PLAYERS_PER_SHARD) : MAX_ROOM_PLAYERS;
