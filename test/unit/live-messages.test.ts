import { describe, expect, it } from 'vitest';
import {
  finalMessage,
  leaderboardMessage,
  openingFrames,
  ranked,
  resultMessage,
  revealMessage,
  snapshot,
  standing,
  type RoomView,
  type Viewer,
} from '../../worker/live/messages';
import { distribution, scoreAnswer } from '../../worker/live/rules';
import { toStudent } from '../../worker/questions/present';
import { INITIAL_GAME, type GameState, type PlayerRow, type SessionMeta } from '../../worker/live/state';
import { SessionIds } from '../../worker/questions/session-ids';
import {
  PODIUM_SIZE,
  type Question,
  type QuestionMessage,
  type ResultMessage,
  type ServerMessage,
} from '../../worker/contract';
import { base, opts } from './fixtures';

const NOW = 1_000_000;
const abc = opts('a', 'b', 'c');
const single: Question = { ...base, id: 's-1', type: 'single', options: opts('a', 'b', 'c', 'd'), answer: 'b' };
const ordering: Question = { ...base, id: 'o-1', type: 'ordering', options: abc, answer: ['c', 'a', 'b'] };

const session: SessionMeta = {
  sessionId: 'session-1',
  code: 'ABC123',
  title: 'Quiz',
  timeLimitSec: 20,
  lang: 'both',
  partialCredit: false,
  shuffleOptions: false,
  showLeaderboard: true,
  questionCount: 2,
  idSalt: 'salt-1',
  shards: 1,
  shard: null,
  teams: 0,
};
const ids = await SessionIds.create(session.idSalt, [single, ordering]);
/** What a question frame needs to know besides the game. */
const at = { session, questionCount: 2, now: NOW, ids: () => ids };

const player = (id: string, rank: number | null, more: Partial<PlayerRow> = {}): PlayerRow => ({
  id,
  nickname: `nick-${id}`,
  joined_at: 0,
  kicked: 0,
  connected_at: 0,
  disconnected_at: null,
  score: 1000,
  correct: 1,
  streak: 1,
  answered: 1,
  rank,
  prev_rank: null,
  last_result: null,
  seq: 1,
  team: null,
  ...more,
});

const open: GameState = { ...INITIAL_GAME, phase: 'question', index: 0, startedAt: NOW - 5_000, endsAt: NOW + 15_000 };
const HOST: Viewer = { role: 'host', screen: 'remote' };
const PROJECTOR: Viewer = { role: 'host', screen: 'projector' };
const amy: Viewer = { role: 'player', participantId: 'amy' };

/** A frame as a message (students' question frames are JSON text). */
const parsed = (frame: unknown): unknown => (typeof frame === 'string' ? JSON.parse(frame) : frame);
/** True when a frame carries an answer, its explanation or its source. */
const leaks = (frame: unknown) => /"answer"|"explanation"|"source"/.test(JSON.stringify(parsed(frame)));

describe('a question as it opens', () => {
  it('gives the projector and the students the question without its answer, with the time left', () => {
    const frames = openingFrames(open, single, at);
    expect(frames.host).toMatchObject({ type: 'question', position: 0, total: 2, limitMs: 20_000 });
    expect(frames.host).toMatchObject({ remainingMs: 15_000 });
    expect(frames.host).toMatchObject({ endsAt: NOW + 15_000, serverTime: NOW, paused: false });
    expect(leaks(frames.host) || leaks(frames.student('amy'))).toBe(false);
  });

  it("shows the question in the session's ids only", () => {
    const sessionOptionIds = (q: Question) =>
      ids
        .student(toStudent(q, ''))
        .options!.map((o) => o.id)
        .sort();
    for (const q of [single, ordering]) {
      const frames = openingFrames(open, q, at);
      for (const frame of [frames.host, frames.student('amy')]) {
        const { question } = (typeof frame === 'string' ? JSON.parse(frame) : frame) as QuestionMessage;
        expect(question.id).toBe(ids.questionId(q.id));
        expect(question.options!.map((o) => o.id).sort()).toEqual(sessionOptionIds(q));
      }
    }
  });

  it('sends every student the same text unless items are shuffled per student', () => {
    const shared = openingFrames(open, single, at);
    expect(typeof shared.student('amy')).toBe('string');
    expect(shared.student('amy')).toBe(shared.student('ben'));
    const shuffling = { ...session, shuffleOptions: true };
    const shuffled = openingFrames(open, single, { ...at, session: shuffling });
    const orders = ['amy', 'ben', 'cat', 'dan', 'eve'].map((id) => shuffled.student(id));
    expect(new Set(orders).size).toBeGreaterThan(1);
    const ordered = openingFrames(open, ordering, at);
    expect(ordered.student('amy')).toBe(ordered.student('amy'));
  });

  it('serializes a shuffled question once per distinct order, each student getting their own order', () => {
    const shuffling = { ...session, shuffleOptions: true };
    const frames = openingFrames(open, single, { ...at, session: shuffling });
    const students = Array.from({ length: 200 }, (_, i) => `student-${i}`);
    const texts = students.map((id) => frames.student(id));
    const distinct = new Set(texts);
    // Four options have at most 24 orders; the same order is the very same string (built once).
    expect(distinct.size).toBeLessThanOrEqual(24);
    expect(distinct.size).toBeGreaterThan(1);
    students.forEach((id, i) => {
      const order = (JSON.parse(texts[i]!) as QuestionMessage).question.options!.map((o) => o.id);
      const own = ids.student(toStudent(single, id, { shuffleOptions: true })).options!.map((o) => o.id);
      expect(order).toEqual(own);
    });
  });

  it('freezes the time left while paused', () => {
    const paused = { ...open, endsAt: null, pausedAt: NOW - 1, pausedRemainingMs: 7_000 };
    expect(openingFrames(paused, single, at).host).toMatchObject({
      remainingMs: 7_000,
      endsAt: null,
      paused: true,
    });
  });
});

describe('the reveal and the results', () => {
  it('reveals the answer with the stored distribution (an empty one when none was stored), in the session ids', () => {
    // Unshuffled, the options are shown in bank order.
    const shown = ids.student(toStudent(single, '')).options!;
    const option = (id: string) => shown[single.options.findIndex((o) => o.id === id)]!.id;
    const revealed = revealMessage({ ...open, phase: 'reveal' }, single, ids);
    expect(revealed).toMatchObject({
      type: 'reveal',
      position: 0,
      questionId: ids.questionId('s-1'),
      answer: option('b'),
    });
    expect(revealed.distribution).toEqual({
      ...distribution(single, []),
      options: { [option('a')]: 0, [option('b')]: 0, [option('c')]: 0, [option('d')]: 0 },
    });
    const stored = { ...distribution(single, []), options: { a: 1, b: 2, c: 0, d: 3 } };
    const counted = revealMessage({ ...open, phase: 'reveal', distribution: stored }, single, ids).distribution;
    expect(counted.options).toEqual({ [option('a')]: 1, [option('b')]: 2, [option('c')]: 0, [option('d')]: 3 });
  });

  it('tells a student their points, streak, score and rank change; no rank when rankings are hidden', () => {
    const before = player('amy', 3, { score: 0, streak: 0 });
    const answer = { response: { optionId: 'b' }, correct: true, base: 900, timeMs: 4_000 };
    const scored = { before, answer, outcome: scoreAnswer(before, answer, 20_000), rank: 1 };
    expect(resultMessage(2, 's-1', scored, { showLeaderboard: true, playerCount: 4 })).toEqual({
      type: 'result',
      position: 2,
      questionId: 's-1',
      answered: true,
      correct: true,
      late: false,
      points: 900,
      bonus: 0,
      streak: 1,
      score: 900,
      rank: 1,
      rankChange: 2,
      playerCount: 4,
    } satisfies ResultMessage);
    expect(resultMessage(2, 's-1', scored, { showLeaderboard: false, playerCount: 4 })).toMatchObject({
      rank: null,
      rankChange: null,
    });
  });
});

describe('rankings', () => {
  const rows = [player('amy', 1, { prev_rank: 2 }), player('ben', 2, { prev_rank: 1 })];
  rows.push(player('cat', 2), player('dan', 4));

  it("give other students' ids to the teacher only, with places gained or lost", () => {
    expect(ranked(rows.slice(0, 2), true)).toEqual([
      { rank: 1, nickname: 'nick-amy', score: 1000, correct: 1, change: 1, participantId: 'amy' },
      { rank: 2, nickname: 'nick-ben', score: 1000, correct: 1, change: -1, participantId: 'ben' },
    ]);
    expect(ranked(rows, false).some((r) => 'participantId' in r)).toBe(false);
    expect(leaderboardMessage(3, rows, false, 9)).toMatchObject({ type: 'leaderboard', position: 3, playerCount: 9 });
  });

  it("end with the podium for every screen, the full ranking for the teacher's remote only, and a student's standing", () => {
    const many = [...rows, player('eve', 5), player('fay', 6)];
    const standings = { ranking: many, showLeaderboard: true, playerCount: 6 };
    const host = finalMessage(standings, 'remote');
    expect(host.podium.map((r) => r.participantId)).toEqual(many.slice(0, PODIUM_SIZE).map((r) => r.id));
    expect(host.ranking).toHaveLength(6);
    expect(host).not.toHaveProperty('me');
    const projector = finalMessage(standings, 'projector');
    expect(projector.podium).toEqual(host.podium);
    expect(projector).not.toHaveProperty('ranking');
    const student = finalMessage(standings, { me: rows[3]! });
    expect(student.podium).toHaveLength(PODIUM_SIZE);
    expect(student).toMatchObject({ podium: [{ nickname: 'nick-amy' }, {}, {}, {}, {}] });
    expect(student).toMatchObject({ me: { participantId: 'dan', rank: 4 } });
    expect(student).not.toHaveProperty('ranking');
    const hidden = finalMessage({ ...standings, showLeaderboard: false }, { me: rows[3]! });
    expect(hidden).toMatchObject({ podium: [], me: { rank: null } });
    expect(finalMessage(standings, { me: null })).not.toHaveProperty('me');
  });

  it("show a student's own standing, with their rank only when rankings are shown", () => {
    const amyStanding = { participantId: 'amy', nickname: 'nick-amy', score: 1000, correct: 1, streak: 1, rank: 1 };
    expect(standing(rows[0]!, true)).toEqual(amyStanding);
    expect(standing(rows[0]!, false).rank).toBeNull();
  });
});

describe('the snapshot of a (re)connecting screen', () => {
  const amyRow = player('amy', 1);
  const view = (game: GameState, more: Partial<RoomView> = {}): RoomView => ({
    now: NOW,
    session,
    game,
    questionCount: 2,
    playerCount: 2,
    question: () => single,
    player: (id) => (id === 'amy' ? amyRow : null),
    activePlayers: () => [amyRow, player('ben', 2)],
    cloud: () => null,
    connected: () => new Set(['amy']),
    answerCount: () => 1,
    hasAnswered: (_q, id) => id === 'amy',
    ranking: (limit) => [amyRow, player('ben', 2)].slice(0, limit),
    teamRanking: () => [],
    ids: () => ids,
    hosts: () => ({ projectors: 1, remotes: 1 }),
    ...more,
  });
  const types = (frames: (ServerMessage | string)[]) => frames.map((f) => (typeof f === 'string' ? 'stored' : f.type));

  it('starts with a welcome: the lobby list for the teacher, their standing for a student', () => {
    const [host, hosts] = snapshot(view(INITIAL_GAME), HOST) as ServerMessage[];
    expect(hosts).toEqual({ type: 'hosts', projectors: 1, remotes: 1 });
    expect(snapshot(view(INITIAL_GAME), PROJECTOR)[0]).toMatchObject({ role: 'host', screen: 'projector' });
    expect(snapshot(view(INITIAL_GAME), amy)[0]).not.toHaveProperty('screen');
    expect(host).toMatchObject({ type: 'welcome', role: 'host', screen: 'remote', phase: 'lobby', position: null });
    expect(host).toMatchObject({ session: { code: 'ABC123', questionCount: 2 }, serverTime: NOW });
    expect((host as { players: unknown }).players).toEqual([
      { participantId: 'amy', nickname: 'nick-amy', connected: true },
      { participantId: 'ben', nickname: 'nick-ben', connected: false },
    ]);
    expect(snapshot(view(INITIAL_GAME), amy)[0]).toMatchObject({ role: 'player', me: { participantId: 'amy' } });
    // Before the questions are copied into the room, the session's own count.
    const notLoaded = view(INITIAL_GAME, { questionCount: 0 });
    expect(snapshot(notLoaded, HOST)[0]).toMatchObject({ session: { questionCount: 2 } });
  });

  it('shows an open question: with the answer count to the teacher, and the ack to a student who answered', () => {
    expect(types(snapshot(view(open), HOST))).toEqual(['welcome', 'hosts', 'question', 'answerCount']);
    const questionId = ids.questionId('s-1');
    expect(snapshot(view(open), HOST)[3]).toEqual({ type: 'answerCount', questionId, answered: 1, expected: 1 });
    expect(types(snapshot(view(open), amy))).toEqual(['welcome', 'question', 'ack']);
    expect(snapshot(view(open), amy)[2]).toEqual({ type: 'ack', questionId, repeated: true });
    expect(types(snapshot(view(open), { role: 'player', participantId: 'ben' }))).toEqual(['welcome', 'question']);
  });

  it('shows each screen the question in the order it was first shown (projector, shuffled per student)', () => {
    const frames = openingFrames(open, ordering, at);
    const seen = (viewer: Viewer) =>
      snapshot(view(open, { question: () => ordering }), viewer)[viewer.role === 'host' ? 2 : 1];
    expect(seen(HOST)).toEqual(frames.host);
    expect(seen(amy)).toEqual(parsed(frames.student('amy')));
    const orders = ['amy', 'ben', 'cat', 'dan'].map((id) => seen({ role: 'player', participantId: id }));
    expect(new Set(orders.map((f) => JSON.stringify((f as { question: unknown }).question))).size).toBeGreaterThan(1);
  });

  it("shows a reveal, with a student's own result of that question (as stored)", () => {
    const reveal = { ...open, phase: 'reveal' as const };
    const withResult = (position: number) => ({
      player: () => ({ ...amyRow, last_result: JSON.stringify({ position }) }),
    });
    expect(types(snapshot(view(reveal), HOST))).toEqual(['welcome', 'hosts', 'question', 'reveal']);
    expect(snapshot(view(reveal, withResult(0)), amy)[3]).toBe(JSON.stringify({ position: 0 }));
    expect(types(snapshot(view(reveal, withResult(-1)), amy))).toEqual(['welcome', 'question', 'reveal']);
  });

  it('shows the question again under its reveal, closed, in the order the screen saw it', () => {
    const reveal = { ...open, phase: 'reveal' as const, endsAt: null };
    const frames = openingFrames(open, ordering, at);
    const shown = (viewer: Viewer) => {
      const all = snapshot(view(reveal, { question: () => ordering }), viewer) as ServerMessage[];
      return all.find((m) => m.type === 'question')!;
    };
    const again = { remainingMs: 0, endsAt: null, paused: false, closed: true };
    expect(shown(HOST)).toEqual({ ...frames.host, ...again });
    expect(shown(amy)).toEqual({ ...(parsed(frames.student('amy')) as object), ...again });
    const revealed = snapshot(view(reveal, { question: () => ordering }), amy)[2] as { questionId: string };
    expect(revealed.questionId).toBe((shown(amy) as { question: { id: string } }).question.id);
  });

  it('shows the standings to students only when rankings are shown', () => {
    const board = { ...open, phase: 'leaderboard' as const };
    expect(types(snapshot(view(board), HOST))).toEqual(['welcome', 'hosts', 'leaderboard']);
    expect(types(snapshot(view(board), amy))).toEqual(['welcome', 'leaderboard']);
    const hidden = view(board, { session: { ...session, showLeaderboard: false } });
    expect(types(snapshot(hidden, amy))).toEqual(['welcome']);
  });

  it('shows the end', () => {
    const end = { ...INITIAL_GAME, phase: 'ended' as const, index: 1 };
    expect(snapshot(view(end), HOST)[2]).toMatchObject({ type: 'final', ranking: [{}, {}] });
    expect(snapshot(view(end), PROJECTOR)[2]).toMatchObject({ type: 'final', podium: [{}, {}] });
    expect(snapshot(view(end), PROJECTOR)[2]).not.toHaveProperty('ranking');
    expect(snapshot(view(end), amy)[1]).toMatchObject({ type: 'final', me: { participantId: 'amy' } });
  });
});
