import { describe, expect, it } from 'vitest';
import { call, expectError, ownQuestion, teacher } from './helpers';

describe('classes, quizzes and own questions belong to their teacher', () => {
  it('answers 401 signed out, 404 to another teacher, and works for the owner', async () => {
    const a = await teacher('A');
    const b = await teacher('B');
    const cls = await call('/api/classes', {
      cookie: a.cookie,
      body: { name: '初二(3)班', roster: ['王芳', '李雷', ' 王芳 ', ''] },
    });
    expect(cls.status).toBe(201);
    expect(cls.json.roster).toBe(2);
    const q = await call('/api/questions', { cookie: a.cookie, body: ownQuestion });
    expect(q.status, q.text).toBe(201);
    expect(q.json.question.source).toEqual({ own: true });
    const quiz = await call('/api/quizzes', {
      cookie: a.cookie,
      body: { title: 'Week 1', questionIds: [q.json.id, 'int-001', 'dem-002'], settings: { timeLimitSec: 0 } },
    });
    expect(quiz.status, quiz.text).toBe(201);
    expect(quiz.json.settings).toMatchObject({ timeLimitSec: 0, feedback: 'now', showLeaderboard: true });

    const routes: [string, string, unknown?][] = [
      ['GET', `/api/classes/${cls.json.id}`],
      ['PUT', `/api/classes/${cls.json.id}`, { name: 'x' }],
      ['DELETE', `/api/classes/${cls.json.id}`],
      ['GET', `/api/quizzes/${quiz.json.id}`],
      ['PUT', `/api/quizzes/${quiz.json.id}`, { title: 'x' }],
      ['POST', `/api/quizzes/${quiz.json.id}/duplicate`],
      ['DELETE', `/api/quizzes/${quiz.json.id}`],
      ['PUT', `/api/questions/${q.json.id}`, ownQuestion],
      ['DELETE', `/api/questions/${q.json.id}`],
    ];
    for (const [method, path, body] of routes) {
      expectError(await call(path, { method, body }), 401, 'signed_out');
      const res = await call(path, { method, body, cookie: b.cookie });
      expect(res.status, `${method} ${path}`).toBe(404);
    }
    for (const path of ['/api/classes', '/api/quizzes', '/api/questions', '/api/sessions']) {
      expectError(await call(path), 401, 'signed_out');
      const listed = JSON.stringify((await call(path, { cookie: b.cookie })).json);
      expect(listed).not.toContain(cls.json.id);
      expect(listed).not.toContain(quiz.json.id);
      expect(listed).not.toContain(q.json.id);
    }
    // B cannot put A's question in a quiz, nor open a session from A's quiz or class.
    expectError(
      await call('/api/quizzes', { cookie: b.cookie, body: { title: 'Steal', questionIds: [q.json.id] } }),
      400,
      'unknown_questions',
    );
    expectError(
      await call('/api/sessions', { cookie: b.cookie, body: { title: 'x', quizId: quiz.json.id } }),
      404,
      'quiz_not_found',
    );
    expectError(
      await call('/api/sessions', { cookie: b.cookie, body: { title: 'x', classId: cls.json.id } }),
      404,
      'class_not_found',
    );

    // The owner sees everything.
    const detail = (await call(`/api/quizzes/${quiz.json.id}`, { cookie: a.cookie })).json;
    expect(detail.questions.map((x: { id: string }) => x.id)).toEqual([q.json.id, 'int-001', 'dem-002']);
    expect(detail.questions[0].own).toBe(true);
    const classDetail = (await call(`/api/classes/${cls.json.id}`, { cookie: a.cookie })).json;
    expect(classDetail.roster.map((r: { name: string }) => r.name).sort()).toEqual(['李雷', '王芳']);
  });
});
