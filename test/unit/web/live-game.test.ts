/**
 * The live screens' state (web/src/live/shared/game.ts): how the server's messages fold into what
 * the projector, the remote and the student's device render, and what a final close or a refused
 * ticket means for them.
 */
import { describe, expect, it, vi } from 'vitest';

// The API client brings the page's texts (and Lit) along; the state needs only its failure class.
vi.mock('../../../web/src/core/api', () => ({
  ApiFailure: class ApiFailure extends Error {
    constructor(
      readonly status: number,
      readonly code: string,
      message: string,
    ) {
      super(message);
    }
  },
}));
import { ApiFailure } from '../../../web/src/core/api';
import {
  applyMessage,
  currentReveal,
  gameOver,
  initialState,
  openQuestion,
  revealedQuestion,
  type GameState,
} from '../../../web/src/live/shared/game';
import { retryable } from '../../../web/src/live/shared/socket';
import {
  LIVE_CLOSE_CODES,
  type QuestionMessage,
  type RevealMessage,
  type ServerMessage,
  type WelcomeMessage,
} from '../../../worker/contract';

const session = {
  code: 'ABC123',
  title: 'T',
  questionCount: 2,
  timeLimitSec: 20,
  lang: 'en',
  showLeaderboard: true,
  teams: 0,
} as const;
const welcome = (phase: WelcomeMessage['phase'], position: number | null): WelcomeMessage => ({
  type: 'welcome',
  role: 'host',
  screen: 'remote',
  serverTime: 0,
  session,
  phase,
  position,
  playerCount: 2,
  players: [],
});
const question = (position: number, extra: Partial<QuestionMessage> = {}): QuestionMessage => ({
  type: 'question',
  position,
  total: 2,
  question: { id: `q${position}`, type: 'truefalse', stem: { zh: '题', en: 'Q' } },
  limitMs: 20_000,
  remainingMs: 12_000,
  endsAt: 1,
  serverTime: 0,
  paused: false,
  ...extra,
});
const reveal = (position: number): RevealMessage => ({
  type: 'reveal',
  position,
  questionId: `q${position}`,
  answer: true,
  explanation: { zh: '因为', en: 'Because' },
  source: null,
  distribution: { players: 2, answered: 2, correct: 1, wrong: 1, late: 0, noAnswer: 0 },
});
const fold = (...msgs: ServerMessage[]): GameState => msgs.reduce((s, m) => applyMessage(s, m, 0), initialState());

describe('applyMessage', () => {
  it('a question opens: it is the open question, with its time', () => {
    const s = fold(welcome('lobby', null), question(0));
    expect(s.phase).toBe('question');
    expect(openQuestion(s)?.question.id).toBe('q0');
    expect(s.remainingMs).toBe(12_000);
  });

  it("a reveal's snapshot (closed question, then reveal) shows the question with its answer, never as open", () => {
    const s = fold(welcome('reveal', 1), question(1, { closed: true, remainingMs: 0 }));
    expect(s.phase).toBe('reveal');
    expect(openQuestion(s)).toBeNull();
    const after = applyMessage(s, reveal(1), 0);
    expect(currentReveal(after)?.questionId).toBe('q1');
    expect(revealedQuestion(after, currentReveal(after)!)?.question.id).toBe('q1');
  });

  it('a closed question in the question phase is not open (the reveal follows)', () => {
    const s = fold(welcome('question', 0), question(0, { closed: true }));
    expect(openQuestion(s)).toBeNull();
  });

  it("keeps the teacher's screens from hosts", () => {
    const s = fold(welcome('lobby', null), { type: 'hosts', projectors: 1, remotes: 1 });
    expect(s.hosts).toEqual({ projectors: 1, remotes: 1 });
    expect(initialState().hosts).toBeNull();
  });

  it('closed says why: closed or deleted', () => {
    expect(fold(welcome('question', 0), { type: 'closed', reason: 'closed' }).closed).toBe('closed');
    expect(fold(welcome('question', 0), { type: 'closed', reason: 'deleted' }).closed).toBe('deleted');
  });

  it('the final ranking comes to the remote with the podium', () => {
    const row = { rank: 1, nickname: 'Amy', score: 900, correct: 1, change: null };
    const s = fold(welcome('reveal', 1), {
      type: 'final',
      podium: [row],
      ranking: [row, { ...row, rank: 2, nickname: 'Ben', score: 0, correct: 0 }],
      playerCount: 2,
    });
    expect(s.phase).toBe('ended');
    expect(s.final?.ranking?.map((r) => r.nickname)).toEqual(['Amy', 'Ben']);
  });
});

describe('gameOver', () => {
  it('names each final close code', () => {
    expect(gameOver({ code: LIVE_CLOSE_CODES.replaced }).reason).toBe('replaced');
    expect(gameOver({ code: LIVE_CLOSE_CODES.kicked }).reason).toBe('kicked');
    expect(gameOver({ code: LIVE_CLOSE_CODES.closed }).reason).toBe('closed');
    expect(gameOver({ code: LIVE_CLOSE_CODES.deleted }).reason).toBe('deleted');
    expect(gameOver({ code: LIVE_CLOSE_CODES.flooding }).reason).toBe('flooding');
  });

  it('a ticket refused with 410 means the session was closed; other refusals carry their failure', () => {
    expect(gameOver({ refused: new ApiFailure(410, 'session_closed', '') }).reason).toBe('closed');
    const forbidden = new ApiFailure(403, 'forbidden', '');
    expect(gameOver({ refused: forbidden })).toEqual({ reason: 'refused', failure: forbidden });
  });
});

describe('retryable', () => {
  it('retries the network, the server, rate limits and a session not open yet; not a refusal', () => {
    expect(retryable(new ApiFailure(0, 'network', ''))).toBe(true);
    expect(retryable(new ApiFailure(503, 'internal', ''))).toBe(true);
    expect(retryable(new ApiFailure(429, 'too_many_attempts', ''))).toBe(true);
    expect(retryable(new ApiFailure(409, 'not_open_yet', ''))).toBe(true);
    expect(retryable(new ApiFailure(409, 'not_live', ''))).toBe(false);
    expect(retryable(new ApiFailure(401, 'unauthorized', ''))).toBe(false);
    expect(retryable(new ApiFailure(410, 'session_closed', ''))).toBe(false);
  });
});
