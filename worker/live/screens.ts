/**
 * The live room's screens: the teachers' (sockets tagged `host`) and the students' (one open socket
 * each). Sends each a frame of the current game, serialized once for everyone who gets the same one;
 * what a screen may see is decided in `messages.ts`, when to send it in the room.
 */
import {
  answerCountMessage,
  finalMessage,
  hostsMessage,
  LEADERBOARD_SIZE,
  leaderboardMessage,
  openingFrames,
  revealMessage,
  snapshot,
  studentFinals,
  type Connected,
  type HostCount,
  type RoomView,
} from './messages';
import { attachmentOf, closeSocket, isOpen, send } from './sockets';
import type { GameState, PlayerRow } from './state';
import type { RoomStore } from './store';
import type { SessionIds } from '../questions/session-ids';
import { rankTeams } from './rules';
import { CloudBuilder } from './cloud';
import {
  LIVE_CLOSE_CODES,
  type CloudMessage,
  type ClosedMessage,
  type Distribution,
  type Question,
  type RankedTeam,
  type ServerMessage,
} from '../contract';

/**
 * The figures the screens show: the room's own, or in a contest the merged ones (a coordinator's
 * counts come from its shards; a shard's standings from its coordinator).
 */
export interface Figures {
  /** Answers to the open question. */
  answered(questionId: string): number;
  /** Students connected now. */
  connected(): Connected;
  /** Students in the game. */
  playerCount(): number;
  /** Ranked students, best first; the first `limit` when given. */
  ranking(limit?: number): readonly PlayerRow[];
  /** How the students answered the question `game` last closed. */
  distribution(game: GameState): Distribution | null;
}

export class Screens {
  private readonly clouds = new CloudBuilder();

  constructor(
    private readonly ctx: DurableObjectState,
    private readonly store: RoomStore,
    /** Students' open sockets by participant id (the room's cache, rebuilt after hibernation). */
    private readonly players: () => Map<string, WebSocket>,
    /** The session's ids, in which questions leave the room. */
    private readonly ids: () => SessionIds,
    private readonly figures: Figures,
  ) {}

  toHosts(msg: ServerMessage | string): void {
    const frame = typeof msg === 'string' ? msg : JSON.stringify(msg);
    for (const ws of this.ctx.getWebSockets('host')) send(ws, frame);
  }

  /** The same frame to every teacher and student. */
  toAll(msg: ServerMessage): void {
    const frame = JSON.stringify(msg);
    this.toHosts(frame);
    for (const ws of this.players().values()) send(ws, frame);
  }

  /** The teacher's open screens, `leaving` (a socket closing now) left out. */
  hostCount(leaving?: WebSocket): HostCount {
    const count = { projectors: 0, remotes: 0 };
    for (const ws of this.ctx.getWebSockets('host')) {
      const who = attachmentOf(ws);
      if (ws === leaving || !isOpen(ws) || who?.role !== 'host') continue;
      if (who.screen === 'remote') count.remotes++;
      else count.projectors++;
    }
    return count;
  }

  /** Tells the teacher's screens (but `except`) which screens are connected now (`leaving` not counted). */
  hosts({ leaving, except }: { leaving?: WebSocket; except?: WebSocket } = {}): void {
    const frame = JSON.stringify(hostsMessage(this.hostCount(leaving)));
    for (const ws of this.ctx.getWebSockets('host')) if (ws !== except && ws !== leaving) send(ws, frame);
  }

  /** The session was closed or deleted: tells every screen so and closes every socket. */
  shut(reason: ClosedMessage['reason']): void {
    const frame = JSON.stringify({ type: 'closed', reason } satisfies ClosedMessage);
    const code = reason === 'closed' ? LIVE_CLOSE_CODES.closed : LIVE_CLOSE_CODES.deleted;
    const why = reason === 'closed' ? 'The teacher closed this quiz.' : 'The teacher deleted this quiz.';
    for (const ws of this.ctx.getWebSockets()) {
      send(ws, frame);
      closeSocket(ws, code, why);
    }
  }

  /** Tells a removed student so, and closes their socket. */
  expel(ws: WebSocket): void {
    send(ws, { type: 'kicked', message: 'Your teacher removed you from this game.' });
    closeSocket(ws, LIVE_CLOSE_CODES.kicked, 'removed by the teacher');
  }

  /** The question just opened, and the projector's count from zero. */
  question(game: GameState, now: number): void {
    const { question: q } = this.store.requireQuestion(game.index);
    const at = { session: this.store.requireSession(), questionCount: this.store.questionCount(), now, ids: this.ids };
    const frames = openingFrames(game, q, at);
    this.toHosts(frames.host);
    this.toHosts(answerCountMessage(this.ids().questionId(q.id), 0, this.figures.connected().size));
    for (const [participantId, ws] of this.players()) send(ws, frames.student(participantId));
  }

  /** The projector's count of answers to the open question, if one is open. */
  answerCount(): void {
    const game = this.store.game();
    if (game.phase !== 'question') return;
    const { id } = this.store.requireQuestion(game.index).question;
    this.toHosts(
      answerCountMessage(this.ids().questionId(id), this.figures.answered(id), this.figures.connected().size),
    );
    this.cloud();
  }

  /** The word cloud of the question on screen, to the teacher's screens, if it is an open question. */
  cloud(): void {
    const game = this.store.game();
    if (game.phase === 'lobby') return;
    const message = this.cloudOf(this.store.requireQuestion(game.index).question);
    if (message) this.toHosts(message);
  }

  /** The cloud of `q`; null unless it is an open question. */
  private cloudOf(q: Question): CloudMessage | null {
    if (q.type !== 'open') return null;
    return this.clouds.message(this.ids().questionId(q.id), this.store.openAnswers(q.id));
  }

  /** The question just closed, to everyone, and each student's own result. */
  reveal(): void {
    const game = this.shownGame();
    const { question } = this.store.requireQuestion(game.index);
    const frame = JSON.stringify(revealMessage(game, question, this.ids()));
    this.toHosts(frame);
    const cloud = this.cloudOf(question);
    if (cloud) this.toHosts(cloud);
    const results = this.store.lastResults();
    for (const [participantId, ws] of this.players()) {
      send(ws, frame);
      const result = results.get(participantId);
      if (result) send(ws, result);
    }
  }

  /** The standings to the teachers, and to the students unless the teacher hides rankings from them. */
  leaderboard(): void {
    const { index } = this.store.game();
    const top = this.figures.ranking(LEADERBOARD_SIZE);
    const playerCount = this.figures.playerCount();
    const teams = this.teamRanking();
    this.toHosts(leaderboardMessage(index, top, true, playerCount, teams));
    if (!this.store.requireSession().showLeaderboard) return;
    const frame = JSON.stringify(leaderboardMessage(index, top, false, playerCount, teams));
    for (const ws of this.players().values()) send(ws, frame);
  }

  /** The podium: with the full ranking for the teacher's remote, with their own standing for each student. */
  final(): void {
    const rows = new Map(this.store.activePlayers().map((r) => [r.id, r]));
    const { showLeaderboard } = this.store.requireSession();
    const standings = {
      ranking: this.figures.ranking(),
      showLeaderboard,
      playerCount: this.figures.playerCount(),
      teams: this.teamRanking(),
    };
    const remote = JSON.stringify(finalMessage(standings, 'remote'));
    const projector = JSON.stringify(finalMessage(standings, 'projector'));
    for (const ws of this.ctx.getWebSockets('host')) {
      const who = attachmentOf(ws);
      send(ws, who?.role === 'host' && who.screen === 'remote' ? remote : projector);
    }
    const student = studentFinals(standings);
    for (const [participantId, ws] of this.players()) send(ws, student(rows.get(participantId) ?? null));
  }

  /** `welcome`, then what a screen that had been connected all along would show now. */
  snapshot(ws: WebSocket): void {
    const who = attachmentOf(ws);
    if (who) for (const frame of snapshot(this.view(), who)) send(ws, frame);
  }

  /** Team mode: the teams ranked by their members' average; empty without teams (and in a contest, which has none). */
  private teamRanking(): RankedTeam[] {
    return this.store.requireSession().teams > 0 ? rankTeams(this.store.activePlayers()) : [];
  }

  /** The game as the screens show it: with the distribution of every shard in a contest. */
  private shownGame(): GameState {
    const game = this.store.game();
    return { ...game, distribution: this.figures.distribution(game) };
  }

  /** The room as a snapshot reads it (the phase decides which parts). */
  private view(): RoomView {
    const { store, figures } = this;
    return {
      now: Date.now(),
      session: store.requireSession(),
      game: this.shownGame(),
      questionCount: store.questionCount(),
      playerCount: figures.playerCount(),
      question: (index) => store.requireQuestion(index).question,
      player: (id) => store.player(id),
      activePlayers: () => store.activePlayers(),
      connected: () => figures.connected(),
      answerCount: (questionId) => figures.answered(questionId),
      hasAnswered: (questionId, participantId) => store.answer(questionId, participantId) !== null,
      cloud: (q) => this.cloudOf(q),
      ranking: (limit) => figures.ranking(limit),
      teamRanking: () => this.teamRanking(),
      ids: this.ids,
      hosts: () => this.hostCount(),
    };
  }
}
