/**
 * The live game end to end: real WebSockets through the Worker to the session's Durable Object,
 * with the object's storage inspected and its alarm fired through `cloudflare:test`.
 */
import { abortAllDurableObjects, runDurableObjectAlarm, runInDurableObject } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { IDLE_END_MS } from '../../worker/live/host-machine';
import type { GameState } from '../../worker/live/state';
import { bankIdAt, join, keyFor, openSession, rightResponse, storedQuestion, wrongResponse } from './helpers';
import { LiveClient, playerTicketRequest, roomOf } from './live-client';
import type { CreatedSession, GradedQuestion, Question, ServerMessage } from '../../worker/contract';

/** A live session with the teacher's socket open. */
async function liveGame(options: Record<string, unknown> = {}) {
  const s = await openSession({ mode: 'live', count: 2, timeLimitSec: 30, ...options });
  const host = await LiveClient.host(s);
  expect(await host.next('welcome')).toMatchObject({ role: 'host', phase: 'lobby', players: [], playerCount: 0 });
  return { s, host };
}

/** A student joins over HTTP, then opens the live socket; the host sees them arrive. */
async function player(s: CreatedSession, host: LiveClient, nickname: string) {
  const joined = await join(s.code, nickname);
  const client = await LiveClient.player(joined.token);
  const welcome = await client.next('welcome');
  expect(welcome).toMatchObject({ role: 'player', phase: expect.any(String), me: { nickname } });
  const arrived = await host.next('player');
  expect(arrived.player).toEqual({ participantId: welcome.me!.participantId, nickname, connected: true });
  return { client, token: joined.token, id: welcome.me!.participantId, nickname };
}

/** Moves the open question's clock back by `ms`, as if that much time had passed. */
const rewind = (sessionId: string, ms: number) =>
  runInDurableObject(roomOf(sessionId), (_room, state) => {
    state.storage.sql.exec(
      `UPDATE meta SET v = json_set(v, '$.startedAt', json_extract(v, '$.startedAt') - ?1, '$.endsAt', json_extract(v, '$.endsAt') - ?1) WHERE k = 'game'`,
      ms,
    );
  });

const gameState = (sessionId: string) =>
  runInDurableObject(
    roomOf(sessionId),
    (_room, state) =>
      JSON.parse(state.storage.sql.exec<{ v: string }>(`SELECT v FROM meta WHERE k = 'game'`).one().v) as GameState,
  );

/** Every key of every object in `value`, with the values seen under it. */
function keysOf(value: unknown, out = new Map<string, unknown[]>()): Map<string, unknown[]> {
  if (Array.isArray(value)) value.forEach((v) => keysOf(v, out));
  else if (value && typeof value === 'object')
    for (const [k, v] of Object.entries(value)) {
      out.set(k, [...(out.get(k) ?? []), v]);
      keysOf(v, out);
    }
  return out;
}

/** Nothing in `messages` gives away the answer to `q`, its proof, or whether an answer was right. */
function expectNoAnswerIn(messages: ServerMessage[], q: Question) {
  const keys = keysOf(messages);
  for (const k of ['answer', 'explanation', 'source', 'tolerance', 'key', 'distribution', 'points'])
    expect([...keys.keys()]).not.toContain(k);
  // `correct` appears only as a count in a standing, never as a verdict.
  expect((keys.get('correct') ?? []).every((v) => typeof v === 'number')).toBe(true);
  const text = JSON.stringify(messages);
  expect(text).not.toContain(q.explanation!.zh);
  if (q.type === 'text') for (const a of q.answer) expect(text).not.toContain(a);
  // (A true/false statement asked as the article words it is its quote: the question itself shows it.)
  if (q.source && 'quote' in q.source && q.source.quote && !q.stem.zh.includes(q.source.quote))
    expect(text).not.toContain(q.source.quote);
}

/** Messages a client received before its first reveal of `questionId`. */
const beforeReveal = (c: LiveClient, questionId: string) => {
  const i = c.messages.findIndex((m) => m.type === 'reveal' && m.questionId === questionId);
  return i < 0 ? c.messages : c.messages.slice(0, i);
};

describe('a live game', () => {
  it('runs a full game with 3 players: right, wrong and late answers, streaks, reveal, leaderboard, podium, and D1 rows', async () => {
    const { s, host } = await liveGame();
    const amy = await player(s, host, 'Amy');
    const ben = await player(s, host, 'Ben');
    const cat = await player(s, host, 'Cat');
    const students = [amy, ben, cat];

    // Question 1: Amy right, Ben wrong, Cat right but after the deadline.
    host.send({ type: 'start' });
    const q1 = await host.next('question');
    expect(q1).toMatchObject({ position: 0, total: 2, limitMs: 30_000, paused: false });
    expect(q1.remainingMs).toBeGreaterThan(29_000);
    expect((await host.next('answerCount')).answered).toBe(0);
    const k1 = await keyFor(s.id, q1.question);
    for (const p of students) expect((await p.client.next('question')).question.id).toBe(k1.id);

    amy.client.send({ type: 'answer', questionId: k1.id, response: rightResponse(k1) });
    expect(await amy.client.next('ack')).toEqual({ type: 'ack', questionId: k1.id, repeated: false });
    expect(await host.next('answerCount')).toEqual({
      type: 'answerCount',
      questionId: k1.id,
      answered: 1,
      expected: 3,
    });
    ben.client.send({ type: 'answer', questionId: k1.id, response: wrongResponse(k1) });
    await ben.client.next('ack');
    expect((await host.next('answerCount')).answered).toBe(2);
    // The answer is in the room's storage by the time it is acknowledged.
    const stored = await runInDurableObject(roomOf(s.id), (_r, state) =>
      state.storage.sql
        .exec<{
          participant_id: string;
          correct: number;
        }>('SELECT participant_id, correct FROM answers ORDER BY answered_at')
        .toArray(),
    );
    expect(stored).toEqual([
      { participant_id: amy.id, correct: 1 },
      { participant_id: ben.id, correct: 0 },
    ]);

    await rewind(s.id, 31_000);
    cat.client.send({ type: 'answer', questionId: k1.id, response: rightResponse(k1) });
    await cat.client.next('ack');
    // Past the deadline, the late answer closes the question at once.
    const reveal1 = await host.next('reveal');
    expect(reveal1).toMatchObject({
      position: 0,
      questionId: k1.id,
      answer: (k1 as GradedQuestion).answer,
      explanation: k1.explanation,
    });
    expect(reveal1.distribution).toMatchObject({ players: 3, answered: 3, correct: 1, wrong: 2, late: 1, noAnswer: 0 });
    if (k1.type === 'single') expect(reveal1.distribution.options![k1.answer]).toBeGreaterThanOrEqual(2);

    const results1 = await Promise.all(
      students.map(async (p) => ({ reveal: await p.client.next('reveal'), result: await p.client.next('result') })),
    );
    for (const p of students) expectNoAnswerIn(beforeReveal(p.client, k1.id), k1);
    expectNoAnswerIn(beforeReveal(host, k1.id), k1);
    const [a1, b1, c1] = results1.map((r) => r.result);
    expect(a1).toMatchObject({
      answered: true,
      correct: true,
      late: false,
      bonus: 0,
      streak: 1,
      rank: 1,
      rankChange: null,
      playerCount: 3,
    });
    expect(a1!.points).toBeGreaterThanOrEqual(990);
    expect(a1!.score).toBe(a1!.points);
    expect(b1).toMatchObject({ answered: true, correct: false, late: false, points: 0, streak: 0, score: 0, rank: 2 });
    expect(c1).toMatchObject({ answered: true, correct: true, late: true, points: 0, streak: 0, score: 0, rank: 2 });

    // Then the top list; the first question has no earlier rank to compare with.
    host.send({ type: 'next' });
    const board1 = await host.next('leaderboard');
    expect(board1.top.map((e) => [e.rank, e.nickname, e.change])).toEqual([
      [1, 'Amy', null],
      [2, 'Ben', null],
      [2, 'Cat', null],
    ]);
    expect(board1.top[0]!.participantId).toBe(amy.id);
    const seenByAmy = await amy.client.next('leaderboard');
    expect(JSON.stringify(seenByAmy)).not.toContain('participantId');

    // Question 2: Amy right again (streak bonus), Cat right, Ben never answers; the deadline alarm closes it.
    host.send({ type: 'next' });
    const q2 = await host.next('question');
    expect(q2.position).toBe(1);
    const k2 = await keyFor(s.id, q2.question);
    for (const p of students) await p.client.next('question');
    amy.client.send({ type: 'answer', questionId: k2.id, response: rightResponse(k2) });
    cat.client.send({ type: 'answer', questionId: k2.id, response: rightResponse(k2) });
    await amy.client.next('ack');
    await cat.client.next('ack');
    // A repeat changes nothing.
    amy.client.send({ type: 'answer', questionId: k2.id, response: wrongResponse(k2) });
    expect(await amy.client.next('ack')).toEqual({ type: 'ack', questionId: k2.id, repeated: true });
    expect((await gameState(s.id)).phase).toBe('question');
    // An alarm that fires early does not close the question…
    expect(await runDurableObjectAlarm(roomOf(s.id))).toBe(true);
    expect((await gameState(s.id)).phase).toBe('question');
    // …the one at the deadline does.
    await rewind(s.id, 30_001);
    expect(await runDurableObjectAlarm(roomOf(s.id))).toBe(true);
    const reveal2 = await host.next('reveal');
    expect(reveal2.distribution).toMatchObject({ players: 3, answered: 2, correct: 2, noAnswer: 1 });
    const [a2, b2, c2] = await Promise.all(students.map((p) => p.client.next('result')));
    expect(a2).toMatchObject({ correct: true, streak: 2, bonus: 100, rank: 1, rankChange: 0 });
    expect(a2!.points).toBeGreaterThanOrEqual(1090);
    expect(a2!.score).toBe(a1!.points + a2!.points);
    expect(b2).toMatchObject({
      answered: false,
      correct: false,
      points: 0,
      streak: 0,
      score: 0,
      rank: 3,
      rankChange: -1,
    });
    expect(c2).toMatchObject({ correct: true, late: false, streak: 1, bonus: 0, rank: 2, rankChange: 0 });
    for (const p of students)
      expectNoAnswerIn(beforeReveal(p.client, k2.id).slice(beforeReveal(p.client, k1.id).length + 2), k2);

    // Too late for Ben.
    ben.client.send({ type: 'answer', questionId: k2.id, response: rightResponse(k2) });
    expect(await ben.client.next('error')).toMatchObject({ code: 'question_closed' });

    // After the last question: the podium and the full ranking.
    host.send({ type: 'next' });
    const final = await host.next('final');
    expect(final.podium.map((e) => e.nickname)).toEqual(['Amy', 'Cat', 'Ben']);
    expect(final.ranking!.map((e) => [e.rank, e.nickname, e.score])).toEqual([
      [1, 'Amy', a2!.score],
      [2, 'Cat', c2!.score],
      [3, 'Ben', 0],
    ]);
    const benFinal = await ben.client.next('final');
    expect(benFinal.me).toMatchObject({ nickname: 'Ben', rank: 3, score: 0 });
    expect(JSON.stringify(benFinal)).not.toContain('participantId":"' + amy.id);

    // D1: one row per student per question (no answer included), points with bonus, totals, finish, closed session.
    const rows = await env.DB.prepare(
      `SELECT p.nickname, a.question_id, a.position, a.response, a.correct, a.points, a.time_ms FROM answers a JOIN participants p ON p.id = a.participant_id
       WHERE a.session_id = ? ORDER BY a.position, p.nickname`,
    )
      .bind(s.id)
      .all<{
        nickname: string;
        question_id: string;
        position: number;
        response: string | null;
        correct: number;
        points: number;
        time_ms: number;
      }>();
    // D1 keeps bank ids, of questions and of the options in responses; no screen ever saw them.
    const [bank1, bank2] = [await bankIdAt(s.id, 0), await bankIdAt(s.id, 1)];
    expect(rows.results.map((r) => [r.nickname, r.question_id, r.correct, r.points])).toEqual([
      ['Amy', bank1, 1, a1!.points],
      ['Ben', bank1, 0, 0],
      ['Cat', bank1, 1, 0],
      ['Amy', bank2, 1, a2!.points],
      ['Ben', bank2, 0, 0],
      ['Cat', bank2, 1, c2!.points],
    ]);
    expect(JSON.parse(rows.results[0]!.response!)).toEqual(rightResponse(await storedQuestion(bank1)));
    for (const c of [host, ...students.map((p) => p.client)])
      for (const id of [bank1, bank2]) expect(JSON.stringify(c.messages)).not.toContain(`"${id}"`);
    expect(rows.results[4]!.response).toBeNull();
    expect(rows.results[2]!.time_ms).toBeGreaterThan(30_000);
    const people = await env.DB.prepare(
      'SELECT nickname, score, correct_count, position, finished_at FROM participants WHERE session_id = ? ORDER BY nickname',
    )
      .bind(s.id)
      .all<{ nickname: string; score: number; correct_count: number; position: number; finished_at: number | null }>();
    expect(people.results.map((p) => [p.nickname, p.score, p.correct_count, p.position])).toEqual([
      ['Amy', a2!.score, 2, 2],
      ['Ben', 0, 0, 2],
      ['Cat', c2!.score, 2, 2],
    ]);
    expect(people.results.every((p) => p.finished_at !== null)).toBe(true);
    const session = await env.DB.prepare('SELECT status, closed_at FROM sessions WHERE id = ?')
      .bind(s.id)
      .first<{ status: string; closed_at: number }>();
    expect(session).toMatchObject({ status: 'closed', closed_at: expect.any(Number) });
    // Everything reached D1; the room keeps its copy until the cleanup alarm.
    const game = await gameState(s.id);
    expect(game).toMatchObject({ phase: 'ended', sessionClosedSynced: true, syncRetryAt: null });
    expect(game.syncedSeq).toBe(game.seq);

    // The session is closed, but a game that ended by itself lets its screens back to the podium.
    const late = await playerTicketRequest(amy.token);
    expect(late.status).toBe(200);
  });

  it('restores a student who reconnects mid-question: same identity, score and question, less time, never twice', async () => {
    const { s, host } = await liveGame();
    const amy = await player(s, host, 'Amy');
    const ben = await player(s, host, 'Ben');
    host.send({ type: 'start' });
    const q = await amy.client.next('question');
    await ben.client.next('question');
    const k = await keyFor(s.id, q.question);
    amy.client.send({ type: 'answer', questionId: k.id, response: rightResponse(k) });
    await amy.client.next('ack');

    // Amy's connection drops; the host sees her disconnected, not gone.
    amy.client.close();
    expect(await host.next('player')).toEqual({
      type: 'player',
      player: { participantId: amy.id, nickname: 'Amy', connected: false },
      playerCount: 2,
    });
    await rewind(s.id, 5_000);
    const again = await LiveClient.player(amy.token);
    const welcome = await again.next('welcome');
    expect(welcome).toMatchObject({
      phase: 'question',
      position: 0,
      playerCount: 2,
      me: { participantId: amy.id, nickname: 'Amy', score: 0 },
    });
    const resumed = await again.next('question');
    expect(resumed.question).toEqual(q.question);
    expect(resumed.remainingMs).toBeLessThanOrEqual(25_000);
    expect(resumed.remainingMs).toBeGreaterThan(20_000);
    expect(resumed.endsAt).toBe(q.endsAt! - 5_000);
    // She had answered: the device shows "answer received" again.
    expect(await again.next('ack')).toEqual({ type: 'ack', questionId: k.id, repeated: true });
    expect((await host.next('player')).player).toEqual({ participantId: amy.id, nickname: 'Amy', connected: true });

    // A second tab replaces the first: one connection per student, one name in the lobby.
    const second = await LiveClient.player(amy.token);
    await second.next('welcome');
    expect(await again.closedWith()).toMatchObject({ code: 4000 });
    host.send({ type: 'sync' });
    const hostView = await host.next('welcome');
    expect(hostView.players!.map((p) => p.nickname)).toEqual(['Amy', 'Ben']);
    expect(hostView.playerCount).toBe(2);

    // Ben answers: everyone connected has answered, so the question closes; Amy's score carries over a reconnect.
    ben.client.send({ type: 'answer', questionId: k.id, response: wrongResponse(k) });
    const result = await second.next('result');
    expect(result).toMatchObject({ correct: true, rank: 1 });
    // Points count from the question's start, not from the reconnect.
    expect(result.points).toBeLessThanOrEqual(1000);
    const third = await LiveClient.player(amy.token);
    expect((await third.next('welcome')).me).toMatchObject({ score: result.score, rank: 1, streak: 1 });
    await third.next('reveal');
    expect(await third.next('result')).toEqual(result);
  });

  it('does not close a question under a student who is reloading, but does once their grace period is over', async () => {
    const { s, host } = await liveGame();
    const amy = await player(s, host, 'Amy');
    const ben = await player(s, host, 'Ben');
    host.send({ type: 'start' });
    const q = await amy.client.next('question');
    const k = await keyFor(s.id, q.question);
    ben.client.close();
    await host.next('player');
    amy.client.send({ type: 'answer', questionId: k.id, response: rightResponse(k) });
    await amy.client.next('ack');
    // Ben dropped a moment ago without answering: still expected.
    expect((await gameState(s.id)).phase).toBe('question');
    const alarm = await runInDurableObject(roomOf(s.id), (_r, state) => state.storage.getAlarm());
    expect(alarm).toBeLessThan(q.endsAt!);
    // Ten seconds later he has not come back: the grace alarm closes the question.
    await runInDurableObject(roomOf(s.id), (_r, state) => {
      state.storage.sql.exec('UPDATE players SET disconnected_at = disconnected_at - 10001 WHERE id = ?', ben.id);
    });
    expect(await runDurableObjectAlarm(roomOf(s.id))).toBe(true);
    expect(await amy.client.next('result')).toMatchObject({ correct: true });
    expect((await host.next('reveal')).distribution).toMatchObject({ answered: 1, noAnswer: 1 });
  });

  it('answers malformed and out-of-place messages with an error and keeps going', async () => {
    const { s, host } = await liveGame({ count: 1 });
    const amy = await player(s, host, 'Amy');
    const errors = async (c: LiveClient, send: Parameters<LiveClient['send']>[0]) => {
      c.send(send);
      return c.next('error');
    };
    expect(await errors(amy.client, 'not json {')).toMatchObject({ code: 'malformed', message: expect.any(String) });
    expect(await errors(amy.client, '{"type":"teleport"}')).toMatchObject({ code: 'malformed' });
    expect(await errors(amy.client, '{"type":"answer"}')).toMatchObject({ code: 'malformed' });
    expect(await errors(amy.client, '[1,2,3]')).toMatchObject({ code: 'malformed' });
    expect(await errors(amy.client, new TextEncoder().encode('{"type":"ping"}').buffer as ArrayBuffer)).toMatchObject({
      code: 'malformed',
    });
    expect(
      await errors(amy.client, JSON.stringify({ type: 'answer', questionId: 'x', response: 'y'.repeat(10_000) })),
    ).toMatchObject({ code: 'malformed' });
    expect(await errors(amy.client, { type: 'start' })).toMatchObject({ code: 'forbidden' });
    expect(await errors(amy.client, { type: 'kick', participantId: amy.id })).toMatchObject({ code: 'forbidden' });
    expect(await errors(host, { type: 'answer', questionId: 'x', response: {} })).toMatchObject({ code: 'forbidden' });
    expect(await errors(host, { type: 'next' })).toMatchObject({ code: 'not_now' });
    expect(await errors(host, { type: 'pause' })).toMatchObject({ code: 'not_now' });
    expect(await errors(host, { type: 'kick', participantId: 'nobody-here' })).toMatchObject({
      code: 'unknown_player',
    });
    expect(await errors(amy.client, { type: 'answer', questionId: 'x', response: {} })).toMatchObject({
      code: 'not_now',
    });

    // Still alive: the game starts and takes a proper answer.
    host.send({ type: 'start' });
    const q = await amy.client.next('question');
    const k = await keyFor(s.id, q.question);
    expect(
      await errors(amy.client, {
        type: 'answer',
        questionId: 'another-question',
        response: rightResponse(k) as object,
      }),
    ).toMatchObject({ code: 'not_current_question' });
    // The bank's ids name nothing in a session: neither the question nor its options.
    const bankKey = await storedQuestion(await bankIdAt(s.id));
    const asBank = { type: 'answer', questionId: bankKey.id, response: rightResponse(k) as object } as const;
    expect(await errors(amy.client, asBank)).toMatchObject({ code: 'not_current_question' });
    if ('options' in bankKey)
      expect(
        await errors(amy.client, { type: 'answer', questionId: k.id, response: rightResponse(bankKey) as object }),
      ).toMatchObject({ code: 'invalid_answer' });
    expect(await errors(amy.client, { type: 'answer', questionId: k.id, response: { nonsense: true } })).toMatchObject({
      code: 'invalid_answer',
    });
    expect(await errors(host, { type: 'start' })).toMatchObject({ code: 'not_now' });
    amy.client.send({ type: 'ping' });
    await amy.client.next('pong');
    amy.client.send({ type: 'answer', questionId: k.id, response: rightResponse(k) });
    await amy.client.next('ack');
    expect((await amy.client.next('result')).correct).toBe(true);
  });

  it('goes on while the host is away and resumes the projector where the game is', async () => {
    const { s, host } = await liveGame();
    const amy = await player(s, host, 'Amy');
    const ben = await player(s, host, 'Ben');
    host.send({ type: 'start' });
    const q = await host.next('question');
    const k = await keyFor(s.id, q.question);
    host.close();
    await amy.client.next('question');
    await ben.client.next('question');

    // Both answer in time while the projector is away: the question closes at once, no alarm needed.
    amy.client.send({ type: 'answer', questionId: k.id, response: rightResponse(k) });
    ben.client.send({ type: 'answer', questionId: k.id, response: rightResponse(k) });
    await amy.client.next('result');
    await ben.client.next('result');

    const back = await LiveClient.host(s);
    const welcome = await back.next('welcome');
    expect(welcome).toMatchObject({ role: 'host', phase: 'reveal', position: 0, playerCount: 2 });
    expect(welcome.players!.map((p) => [p.nickname, p.connected])).toEqual([
      ['Amy', true],
      ['Ben', true],
    ]);
    const reveal = await back.next('reveal');
    expect(reveal).toMatchObject({
      questionId: k.id,
      answer: (k as GradedQuestion).answer,
      distribution: { answered: 2, correct: 2 },
    });

    back.send({ type: 'next' });
    expect((await back.next('leaderboard')).top).toHaveLength(2);
    back.send({ type: 'next' });
    expect((await back.next('question')).position).toBe(1);
    expect((await amy.client.next('question')).position).toBe(1);

    // Reconnecting in the middle of a question shows it with its answer count.
    const projector = await LiveClient.host(s);
    await projector.next('welcome');
    expect((await projector.next('question')).position).toBe(1);
    expect(await projector.next('answerCount')).toMatchObject({ answered: 0, expected: 2 });
  });

  it('lets the teacher remove a student: gone from the game and from D1, and unable to come back', async () => {
    const { s, host } = await liveGame();
    const amy = await player(s, host, 'Amy');
    const rude = await player(s, host, 'Rude name');
    const cat = await player(s, host, 'Cat');

    host.send({ type: 'kick', participantId: rude.id });
    expect(await rude.client.next('kicked')).toMatchObject({ message: expect.any(String) });
    expect(await rude.client.closedWith()).toMatchObject({ code: 4001 });
    expect(await host.next('playerRemoved')).toEqual({ type: 'playerRemoved', participantId: rude.id, playerCount: 2 });
    const row = await env.DB.prepare('SELECT id FROM participants WHERE id = ?').bind(rude.id).first();
    expect(row).toBeNull();
    expect((await playerTicketRequest(rude.token)).status).toBe(401);
    // The room refuses the student even if D1 still knew them.
    host.send({ type: 'sync' });
    expect((await host.next('welcome')).players!.map((p) => p.nickname)).toEqual(['Amy', 'Cat']);

    // Mid-question: removing the only student who has not answered closes the question.
    host.send({ type: 'start' });
    const q = await amy.client.next('question');
    const k = await keyFor(s.id, q.question);
    amy.client.send({ type: 'answer', questionId: k.id, response: rightResponse(k) });
    await amy.client.next('ack');
    host.send({ type: 'kick', participantId: cat.id });
    expect((await cat.client.closedWith()).code).toBe(4001);
    const reveal = await host.next('reveal');
    expect(reveal.distribution).toMatchObject({ players: 1, answered: 1 });
    const answers = await env.DB.prepare('SELECT count(*) AS n FROM answers WHERE session_id = ?')
      .bind(s.id)
      .first<{ n: number }>();
    expect(answers!.n).toBe(1);

    // Other routes can remove a student through the room's RPC method, with the same effect.
    expect(await roomOf(s.id).removeStudent(amy.id)).toBe(true);
    expect((await amy.client.closedWith()).code).toBe(4001);
    expect(await host.next('playerRemoved')).toMatchObject({ participantId: amy.id, playerCount: 0 });
    expect(await roomOf(s.id).removeStudent(amy.id)).toBe(false);
  });

  it('pauses and resumes: the countdown freezes, answers wait, the pause does not count as answering time', async () => {
    const { s, host } = await liveGame({ timeLimitSec: 20 });
    const amy = await player(s, host, 'Amy');
    const ben = await player(s, host, 'Ben');
    host.send({ type: 'start' });
    const q = await amy.client.next('question');
    const k = await keyFor(s.id, q.question);
    await rewind(s.id, 10_000);

    host.send({ type: 'pause' });
    const paused = await amy.client.next('paused');
    expect(paused.remainingMs).toBeLessThanOrEqual(10_000);
    expect(paused.remainingMs).toBeGreaterThan(9_000);
    await host.next('paused');
    amy.client.send({ type: 'answer', questionId: k.id, response: rightResponse(k) });
    expect(await amy.client.next('error')).toMatchObject({ code: 'paused' });
    // A long pause (as if it had begun a minute ago): no deadline runs meanwhile.
    await runInDurableObject(roomOf(s.id), (_r, state) => {
      state.storage.sql.exec(
        `UPDATE meta SET v = json_set(v, '$.pausedAt', json_extract(v, '$.pausedAt') - 60000, '$.startedAt', json_extract(v, '$.startedAt') - 60000) WHERE k = 'game'`,
      );
    });
    await runDurableObjectAlarm(roomOf(s.id));
    expect((await gameState(s.id)).phase).toBe('question');
    const reconnect = await LiveClient.player(ben.token);
    await reconnect.next('welcome');
    expect(await reconnect.next('question')).toMatchObject({
      paused: true,
      endsAt: null,
      remainingMs: paused.remainingMs,
    });

    host.send({ type: 'resume' });
    const resumed = await amy.client.next('resumed');
    expect(resumed.remainingMs).toBe(paused.remainingMs);
    expect(resumed.endsAt).toBe(resumed.serverTime + resumed.remainingMs!);
    amy.client.send({ type: 'answer', questionId: k.id, response: rightResponse(k) });
    await amy.client.next('ack');
    reconnect.send({ type: 'answer', questionId: k.id, response: wrongResponse(k) });
    const result = await amy.client.next('result');
    // About 10 s of 20 answered (the 60 s pause excluded): round(1000 × (1 − 10/40)) = 750.
    expect(result.points).toBeLessThanOrEqual(750);
    expect(result.points).toBeGreaterThan(700);
  });

  it('skips a question unscored and ends the game early on request', async () => {
    const { s, host } = await liveGame({ count: 3 });
    const amy = await player(s, host, 'Amy');
    host.send({ type: 'start' });
    const q1 = await amy.client.next('question');
    const k1 = await keyFor(s.id, q1.question);
    amy.client.send({ type: 'answer', questionId: k1.id, response: rightResponse(k1) });
    await amy.client.next('result');
    host.send({ type: 'next' });
    await host.next('leaderboard');
    host.send({ type: 'next' });
    const q2 = await amy.client.next('question');
    const k2 = await keyFor(s.id, q2.question);
    host.send({ type: 'skip' });
    expect(await amy.client.next('skipped')).toMatchObject({ position: 1, questionId: k2.id });
    const q3 = await amy.client.next('question');
    expect(q3.position).toBe(2);
    host.send({ type: 'end' });
    const final = await amy.client.next('final');
    expect(final.me).toMatchObject({ nickname: 'Amy', rank: 1 });
    const rows = await env.DB.prepare('SELECT question_id FROM answers WHERE session_id = ? ORDER BY position')
      .bind(s.id)
      .all<{ question_id: string }>();
    // Question 1 answered, question 2 skipped (no rows), question 3 ended open: scored as no answer.
    expect(rows.results.map((r) => r.question_id)).toEqual([await bankIdAt(s.id, 0), await bankIdAt(s.id, 2)]);
    expect(
      (await env.DB.prepare('SELECT status FROM sessions WHERE id = ?').bind(s.id).first<{ status: string }>())!.status,
    ).toBe('closed');
  });

  it('plays untimed, with rankings hidden from students when the teacher says so', async () => {
    const { s, host } = await liveGame({ timeLimitSec: 0, showLeaderboard: false });
    const amy = await player(s, host, 'Amy');
    host.send({ type: 'start' });
    const q = await amy.client.next('question');
    expect(q).toMatchObject({ limitMs: 0, remainingMs: null, endsAt: null });
    const k = await keyFor(s.id, q.question);
    // No deadline: the only alarm is the idle end hours away, and a slow answer still earns full points.
    const alarm = await runInDurableObject(roomOf(s.id), (_r, state) => state.storage.getAlarm());
    expect(alarm! - Date.now()).toBeGreaterThan(IDLE_END_MS - 60_000);
    await rewind(s.id, 600_000);
    amy.client.send({ type: 'answer', questionId: k.id, response: rightResponse(k) });
    const result = await amy.client.next('result');
    expect(result).toMatchObject({ correct: true, late: false, points: 1000, rank: null, rankChange: null });
    host.send({ type: 'next' });
    expect((await host.next('leaderboard')).top[0]).toMatchObject({ nickname: 'Amy', rank: 1 });
    host.send({ type: 'next' });
    await amy.client.next('question');
    expect(amy.client.messages.some((m) => m.type === 'leaderboard')).toBe(false);
    host.send({ type: 'end' });
    expect(await amy.client.next('final')).toMatchObject({ podium: [], me: { rank: null, score: 1000 } });
    expect((await host.next('final')).ranking).toHaveLength(1);
  });

  it('needs nothing but storage and socket attachments after a wake-up from hibernation', async () => {
    const { s, host } = await liveGame();
    const amy = await player(s, host, 'Amy');
    const ben = await player(s, host, 'Ben');
    /** Drops every in-memory field, as a fresh instance after hibernation would have them. */
    const forget = () =>
      runInDurableObject(roomOf(s.id), (room) => {
        const r = room as unknown as {
          sockets: unknown;
          ids: unknown;
          store: { questionCache: Map<unknown, unknown> };
        };
        r.sockets = null;
        r.ids = null;
        r.store.questionCache.clear();
      });
    host.send({ type: 'start' });
    const q = await amy.client.next('question');
    const k = await keyFor(s.id, q.question);
    expect(await host.next('answerCount')).toMatchObject({ answered: 0, expected: 2 });
    await forget();
    amy.client.send({ type: 'answer', questionId: k.id, response: rightResponse(k) });
    await amy.client.next('ack');
    // Identities come back from the attachments: two students connected, one answered.
    expect(await host.next('answerCount')).toMatchObject({ answered: 1, expected: 2 });
    await forget();
    ben.client.close();
    expect((await host.next('player')).player).toMatchObject({ participantId: ben.id, connected: false });
    await forget();
    const benAgain = await LiveClient.player(ben.token);
    expect((await benAgain.next('welcome')).me!.participantId).toBe(ben.id);
    await benAgain.next('question');
    await forget();
    benAgain.send({ type: 'answer', questionId: k.id, response: wrongResponse(k) });
    expect(await benAgain.next('result')).toMatchObject({ correct: false, rank: 2 });
    expect(await amy.client.next('result')).toMatchObject({ correct: true, rank: 1 });
  });

  it('still reveals when D1 fails, and writes the results later from the alarm', async () => {
    const { s, host } = await liveGame();
    const amy = await player(s, host, 'Amy');
    host.send({ type: 'start' });
    const q = await amy.client.next('question');
    const k = await keyFor(s.id, q.question);
    // D1 goes down for the room.
    await runInDurableObject(roomOf(s.id), (room) => {
      const r = room as unknown as { env: Cloudflare.Env };
      const down = { prepare: r.env.DB.prepare.bind(r.env.DB), batch: () => Promise.reject(new Error('D1 is down')) };
      r.env = { ...r.env, DB: down as unknown as D1Database };
    });
    amy.client.send({ type: 'answer', questionId: k.id, response: rightResponse(k) });
    const result = await amy.client.next('result');
    const count = () =>
      env.DB.prepare('SELECT count(*) AS n FROM answers WHERE session_id = ?').bind(s.id).first<{ n: number }>();
    expect((await count())!.n).toBe(0);
    const pending = await gameState(s.id);
    expect(pending.syncRetryAt).toBeGreaterThan(0);
    expect(await runInDurableObject(roomOf(s.id), (_r, state) => state.storage.getAlarm())).toBe(pending.syncRetryAt);

    // D1 is back; the retry alarm writes everything.
    await runInDurableObject(roomOf(s.id), (room) => {
      (room as unknown as { env: Cloudflare.Env }).env = env;
    });
    expect(await runDurableObjectAlarm(roomOf(s.id))).toBe(true);
    expect((await count())!.n).toBe(1);
    const row = await env.DB.prepare('SELECT score FROM participants WHERE id = ?')
      .bind(amy.id)
      .first<{ score: number }>();
    expect(row!.score).toBe(result.score);
    expect(await gameState(s.id)).toMatchObject({ syncRetryAt: null });
    void host;
  });

  it('loses nothing when the object is evicted mid-question: state comes back from storage', async () => {
    const { s, host } = await liveGame();
    const amy = await player(s, host, 'Amy');
    const ben = await player(s, host, 'Ben');
    host.send({ type: 'start' });
    const q = await amy.client.next('question');
    const k = await keyFor(s.id, q.question);
    amy.client.send({ type: 'answer', questionId: k.id, response: rightResponse(k) });
    await amy.client.next('ack');

    // Throws the object's memory away (as an eviction would); its storage stays.
    await abortAllDurableObjects();
    await amy.client.closedWith();

    const projector = await LiveClient.host(s);
    expect(await projector.next('welcome')).toMatchObject({ phase: 'question', position: 0, playerCount: 2 });
    expect(await projector.next('answerCount')).toMatchObject({ answered: 1 });
    const amyAgain = await LiveClient.player(amy.token);
    expect((await amyAgain.next('welcome')).me!.participantId).toBe(amy.id);
    expect((await amyAgain.next('question')).question.id).toBe(k.id);
    await amyAgain.next('ack');
    // Ben never reconnects; the deadline alarm still closes the question from storage alone.
    await rewind(s.id, 31_000);
    await runDurableObjectAlarm(roomOf(s.id));
    const result = await amyAgain.next('result');
    expect(result).toMatchObject({ correct: true, rank: 1 });
    expect((await projector.next('reveal')).distribution).toMatchObject({ players: 2, answered: 1, noAnswer: 1 });
    void ben;
  });
});
