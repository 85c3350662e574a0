import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { call, expectError, join, openSession, teacherView } from './helpers';

describe('opening a session', () => {
  it('returns a 6-character join code from the unambiguous alphabet and a private teacher link', async () => {
    const s = await openSession({ title: '  民族团结 第一课  ', count: 7, timeLimitSec: 20 });
    expect(s.code).toMatch(/^[ABCDEFGHJKMNPQRSTUVWXYZ23456789]{6}$/);
    expect(s.title).toBe('民族团结 第一课');
    expect(s.questionCount).toBe(7);
    expect(s.teacherPath).toBe(`/teach/${s.id}#key=${s.teacherKey}`);
    expect(s.joinPath).toBe(`/join/${s.code}`);
    const row = await env.DB.prepare('SELECT teacher_key_hash FROM sessions WHERE id = ?')
      .bind(s.id)
      .first<{ teacher_key_hash: string }>();
    expect(row!.teacher_key_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(row!.teacher_key_hash).not.toContain(s.teacherKey);
  });

  it('draws only from the chosen topics and types, and all of them when count is null', async () => {
    const s = await openSession({ topics: ['border'], types: ['single'], count: null });
    const rows = await env.DB.prepare(
      `SELECT q.topics, q.type FROM session_questions sq JOIN questions q ON q.id = sq.question_id WHERE sq.session_id = ?`,
    )
      .bind(s.id)
      .all<{ topics: string; type: string }>();
    const pool = await env.DB.prepare(
      `SELECT count(*) AS n FROM questions WHERE type = 'single' AND topics LIKE '%"border"%'`,
    ).first<{ n: number }>();
    expect(rows.results.length).toBe(pool!.n);
    expect(rows.results.length).toBeGreaterThan(0);
    for (const r of rows.results) {
      expect(JSON.parse(r.topics)).toContain('border');
      expect(r.type).toBe('single');
    }
  });

  it('gives unique codes to many open sessions', async () => {
    const codes = new Set<string>();
    for (let i = 0; i < 20; i++) codes.add((await openSession({ count: 1 })).code);
    expect(codes.size).toBe(20);
  });

  it('rejects bad bodies with 400 and a JSON error', async () => {
    expectError(await call('/api/sessions', { body: { title: '', count: 5 } }), 400, 'invalid_json');
    expectError(await call('/api/sessions', { body: { title: 'x', count: 0 } }), 400, 'invalid_json');
    expectError(await call('/api/sessions', { body: { title: 'x', timeLimitSec: 1 } }), 400, 'invalid_json');
    expectError(await call('/api/sessions', { body: { title: 'x', topics: ['astrology'] } }), 400, 'invalid_json');
    expectError(await call('/api/sessions', { body: { title: 'x', extra: true } }), 400, 'invalid_json');
    for (const seatsPerNetwork of [0, 1001, 2.5])
      expectError(await call('/api/sessions', { body: { title: 'x', seatsPerNetwork } }), 400, 'invalid_json');
    expectError(await call('/api/sessions', { body: [1, 2] }), 400, 'invalid_json');
    expectError(await call('/api/sessions', { raw: '{"title": "x"' }), 400, 'malformed_body');
  });

  it('answers 413 to an oversized body', async () => {
    expectError(await call('/api/sessions', { body: { title: 'x'.repeat(20_000) } }), 413, 'body_too_large');
  });
});

describe("the teacher's link", () => {
  it('is required, must match, and names an existing session', async () => {
    const s = await openSession();
    expectError(await call(`/api/sessions/${s.id}`), 401, 'unauthorized');
    expectError(await call(`/api/sessions/${s.id}`, { token: 'x'.repeat(43) }), 403, 'forbidden');
    expectError(await call(`/api/sessions/NoSuchSession1`, { token: s.teacherKey }), 404, 'session_not_found');
    expect((await call(`/api/sessions/${s.id}`, { token: s.teacherKey })).status).toBe(200);
  });

  it('shows who joined, the questions and the leaderboard', async () => {
    const s = await openSession({ count: 3, seatsPerNetwork: 120 });
    await join(s.code, 'Amy');
    await join(s.code, '小明');
    const view = await teacherView(s);
    expect(view.session).toMatchObject({
      id: s.id,
      code: s.code,
      status: 'open',
      questionCount: 3,
      maxPlayers: 200,
      seatsPerNetwork: 120,
    });
    expect(view.questions.map((q) => q.position)).toEqual([0, 1, 2]);
    expect(view.leaderboard.map((e) => e.nickname).sort()).toEqual(['Amy', '小明']);
    expect(view.leaderboard.every((e) => e.score === 0 && e.rank === 1)).toBe(true);
    expect(view.recent).toEqual([]);
  });

  it('closes the session, after which joining answers 410', async () => {
    const s = await openSession();
    const closed = await call(`/api/sessions/${s.id}/close`, { method: 'POST', token: s.teacherKey });
    expect(closed.status).toBe(200);
    expect(closed.json.status).toBe('closed');
    expect((await teacherView(s)).session.status).toBe('closed');
    expectError(await call(`/api/codes/${s.code}/participants`, { body: { nickname: 'Late' } }), 410, 'session_closed');
    expect((await call(`/api/codes/${s.code}`)).json.status).toBe('closed');
  });

  it('deletes the session with every participant and answer', async () => {
    const s = await openSession({ count: 1 });
    const student = await join(s.code, 'Bo');
    const st = (await call('/api/play', { token: student.token })).json;
    await call('/api/play/answers', {
      token: student.token,
      body: { questionId: st.current.question.id, response: null },
    });
    expect((await call(`/api/sessions/${s.id}`, { method: 'DELETE', token: 'y'.repeat(43) })).status).toBe(403);
    const res = await call(`/api/sessions/${s.id}`, { method: 'DELETE', token: s.teacherKey });
    expect(res.status).toBe(204);
    for (const table of ['sessions', 'participants', 'answers', 'session_questions']) {
      const column = table === 'sessions' ? 'id' : 'session_id';
      const n = await env.DB.prepare(`SELECT count(*) AS n FROM ${table} WHERE ${column} = ?`)
        .bind(s.id)
        .first<{ n: number }>();
      expect(n!.n, table).toBe(0);
    }
    expectError(await call('/api/play', { token: student.token }), 401, 'unauthorized');
  });
});

describe('live sessions', () => {
  it('are not playable through the self-paced routes', async () => {
    const s = await openSession({ mode: 'live' });
    expect(s.mode).toBe('live');
    const { token } = await join(s.code, 'Lu');
    const res = await call('/api/play', { token });
    expect(res.status).toBe(409);
    expect(res.json.error.code).toBe('live_session');
  });
});

describe('unknown routes', () => {
  it('answer a JSON 404', async () => {
    expectError(await call('/api/nothing-here'), 404, 'not_found');
  });
});
