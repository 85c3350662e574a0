import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { answer, call, expectError, join, rightResponse, state, storedQuestion, teacher } from './helpers';

describe('accounts', () => {
  it('registers, signs out, signs in, and keeps only a PBKDF2 hash of the password', async () => {
    const res = await call('/api/auth/register', { body: { email: ' Li@School.Example ', name: 'Ms Li', password: 'correct horse battery' } });
    expect(res.status).toBe(201);
    expect(res.json.teacher).toMatchObject({ email: 'li@school.example', name: 'Ms Li' });
    const setCookie = res.headers.get('Set-Cookie')!;
    expect(setCookie).toMatch(/pg_session=[A-Za-z0-9_-]{43}/);
    expect(setCookie).toMatch(/HttpOnly/);
    expect(setCookie).toMatch(/SameSite=Lax/);
    const cookie = /pg_session=[^;]+/.exec(setCookie)![0];
    const row = await env.DB.prepare('SELECT password_hash, password_salt, password_iterations FROM users').first<Record<string, unknown>>();
    expect(row).toMatchObject({ password_iterations: 100_000 });
    expect(String(row!.password_hash)).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(row)).not.toContain('correct horse');
    const stored = await env.DB.prepare('SELECT token_hash FROM user_sessions').first<{ token_hash: string }>();
    expect(cookie).not.toContain(stored!.token_hash);

    expect((await call('/api/auth/me', { cookie })).json.teacher.email).toBe('li@school.example');
    expect((await call('/api/auth/signout', { method: 'POST', cookie })).status).toBe(204);
    expectError(await call('/api/auth/me', { cookie }), 401, 'signed_out');

    expectError(await call('/api/auth/signin', { body: { email: 'li@school.example', password: 'wrong password' } }), 401, 'wrong_credentials');
    const again = await call('/api/auth/signin', { body: { email: 'LI@school.example', password: 'correct horse battery' } });
    expect(again.status).toBe(200);
    expect(again.headers.get('Set-Cookie')).toMatch(/pg_session=/);
  });

  it('refuses a second account with the same email and weak or malformed input', async () => {
    const { email } = await teacher();
    expectError(await call('/api/auth/register', { body: { email, name: 'X', password: 'correct horse battery' } }), 409, 'email_taken');
    expectError(await call('/api/auth/register', { body: { email: 'a@b.example', name: 'X', password: 'short' } }), 400, 'invalid_json');
    expectError(await call('/api/auth/register', { body: { email: 'not an email', name: 'X', password: 'long enough' } }), 400, 'invalid_json');
  });

  it('rate-limits sign-in attempts per account with 429 and Retry-After', async () => {
    const { email } = await teacher();
    let last;
    for (let i = 0; i < 12; i++) {
      last = await call('/api/auth/signin', { body: { email, password: 'wrong password' }, headers: { 'CF-Connecting-IP': `10.0.0.${i}` } });
    }
    expectError(last!, 429, 'too_many_attempts');
    expect(last!.headers.get('Retry-After')).toBe('60');
  });

  it('changes the password, signing out other browsers', async () => {
    const t = await teacher();
    const other = /pg_session=[^;]+/.exec((await call('/api/auth/signin', { body: { email: t.email, password: 'correct horse battery' } })).headers.get('Set-Cookie')!)![0];
    expectError(await call('/api/auth/password', { cookie: t.cookie, body: { current: 'nope nope', next: 'a new password' } }), 403, 'wrong_password');
    expect((await call('/api/auth/password', { cookie: t.cookie, body: { current: 'correct horse battery', next: 'a new password' } })).status).toBe(204);
    expect((await call('/api/auth/me', { cookie: t.cookie })).status).toBe(200);
    expectError(await call('/api/auth/me', { cookie: other }), 401, 'signed_out');
    expect((await call('/api/auth/signin', { body: { email: t.email, password: 'a new password' } })).status).toBe(200);
  });

  it('refuses a cross-site form post (CSRF)', async () => {
    const t = await teacher();
    const res = await call('/api/classes', {
      cookie: t.cookie,
      method: 'POST',
      raw: 'name=Evil',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: 'https://evil.example' },
    });
    expect(res.status).toBe(403);
  });
});

describe('classes, quizzes and own questions belong to their teacher', () => {
  const own = {
    type: 'single',
    stem: { zh: '我们学校在哪个城市？', en: 'Which city is our school in?' },
    explanation: { zh: '学校在呼和浩特。', en: 'The school is in Hohhot.' },
    options: [
      { id: 'a', text: { zh: '包头', en: 'Baotou' } },
      { id: 'b', text: { zh: '呼和浩特', en: 'Hohhot' } },
    ],
    answer: 'b',
    topics: ['culture'],
    difficulty: 1,
  };

  it('answers 401 signed out, 404 to another teacher, and works for the owner', async () => {
    const a = await teacher('A');
    const b = await teacher('B');
    const cls = await call('/api/classes', { cookie: a.cookie, body: { name: '初二(3)班', roster: ['王芳', '李雷', ' 王芳 ', ''] } });
    expect(cls.status).toBe(201);
    expect(cls.json.roster).toBe(2);
    const q = await call('/api/questions', { cookie: a.cookie, body: own });
    expect(q.status, q.text).toBe(201);
    expect(q.json.question.source).toEqual({ own: true });
    const quiz = await call('/api/quizzes', { cookie: a.cookie, body: { title: 'Week 1', questionIds: [q.json.id, 'int-001', 'dem-002'], settings: { timeLimitSec: 0 } } });
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
      ['PUT', `/api/questions/${q.json.id}`, own],
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
    expectError(await call('/api/quizzes', { cookie: b.cookie, body: { title: 'Steal', questionIds: [q.json.id] } }), 400, 'unknown_questions');
    expectError(await call('/api/sessions', { cookie: b.cookie, body: { title: 'x', quizId: quiz.json.id } }), 404, 'quiz_not_found');
    expectError(await call('/api/sessions', { cookie: b.cookie, body: { title: 'x', classId: cls.json.id } }), 404, 'class_not_found');

    // The owner sees everything.
    const detail = (await call(`/api/quizzes/${quiz.json.id}`, { cookie: a.cookie })).json;
    expect(detail.questions.map((x: { id: string }) => x.id)).toEqual([q.json.id, 'int-001', 'dem-002']);
    expect(detail.questions[0].own).toBe(true);
    const classDetail = (await call(`/api/classes/${cls.json.id}`, { cookie: a.cookie })).json;
    expect(classDetail.roster.map((r: { name: string }) => r.name).sort()).toEqual(['李雷', '王芳']);
  });

  it('browses and searches the bank with filters, own questions first', async () => {
    const a = await teacher();
    await call('/api/questions', { cookie: a.cookie, body: own });
    const all = (await call('/api/questions?limit=5', { cookie: a.cookie })).json;
    expect(all.total).toBeGreaterThan(150);
    expect(all.items).toHaveLength(5);
    expect(all.items[0].own).toBe(true);
    const border = (await call('/api/questions?topic=border&type=single&limit=200', { cookie: a.cookie })).json;
    expect(border.items.length).toBeGreaterThan(0);
    expect(border.items.every((i: any) => i.question.topics.includes('border') && i.question.type === 'single')).toBe(true);
    const search = (await call(`/api/questions?q=${encodeURIComponent('暖心板凳会')}`, { cookie: a.cookie })).json;
    expect(search.items.length).toBeGreaterThan(0);
    expect(search.items.every((i: any) => JSON.stringify(i.question).includes('暖心板凳会'))).toBe(true);
    // LIKE wildcards in the search are taken literally.
    const percent = (await call('/api/questions?q=%25&limit=200', { cookie: a.cookie })).json;
    expect(percent.items.every((i: any) => JSON.stringify(i.question).includes('%'))).toBe(true);
    expect((await call('/api/questions?q=_x_', { cookie: a.cookie })).json.total).toBe(0);
    expect((await call('/api/questions?mine=1', { cookie: a.cookie })).json.total).toBe(1);
    expectError(await call('/api/questions?difficulty=9', { cookie: a.cookie }), 400, 'invalid_query');
  });

  it('validates own questions like the bank', async () => {
    const a = await teacher();
    expectError(await call('/api/questions', { cookie: a.cookie, body: { ...own, answer: 'z' } }), 400, 'invalid_question');
    expectError(await call('/api/questions', { cookie: a.cookie, body: { ...own, type: 'numeric' } }), 400, 'invalid_question');
    expectError(await call('/api/questions', { cookie: a.cookie, body: { ...own, topics: [] } }), 400, 'invalid_question');
    const withQuote = await call('/api/questions', { cookie: a.cookie, body: { ...own, source: { quote: '学校位于呼和浩特市。', heading: '校史' } } });
    expect(withQuote.json.question.source).toEqual({ own: true, quote: '学校位于呼和浩特市。', heading: '校史' });
  });

  it('edits, reorders and duplicates a quiz; deleting a used question retires it', async () => {
    const a = await teacher();
    const q = (await call('/api/questions', { cookie: a.cookie, body: own })).json;
    const quiz = (await call('/api/quizzes', { cookie: a.cookie, body: { title: 'Q', questionIds: ['int-001', q.id] } })).json;
    const put = await call(`/api/quizzes/${quiz.id}`, { method: 'PUT', cookie: a.cookie, body: { questionIds: [q.id, 'int-001', 'int-002'], settings: { shuffleOptions: true } } });
    expect(put.json.settings.shuffleOptions).toBe(true);
    const copy = (await call(`/api/quizzes/${quiz.id}/duplicate`, { method: 'POST', cookie: a.cookie })).json;
    expect(copy.title).toBe('Q (copy)');
    expect(copy.questionIds).toEqual([q.id, 'int-001', 'int-002']);

    // Play the own question once, then delete it: it is retired, not lost.
    const s = (await call('/api/sessions', { cookie: a.cookie, body: { title: 'S', quizId: quiz.id } })).json;
    const { token } = await join(s.code, 'Mo');
    const first = await state(token);
    expect(first.current!.question.id).toBe(q.id);
    await answer(token, q.id, rightResponse(await storedQuestion(q.id)));
    expect((await call(`/api/questions/${q.id}`, { method: 'DELETE', cookie: a.cookie })).status).toBe(204);
    const row = await env.DB.prepare('SELECT retired FROM questions WHERE id = ?').bind(q.id).first<{ retired: number }>();
    expect(row!.retired).toBe(1);
    expect((await call(`/api/quizzes/${quiz.id}`, { cookie: a.cookie })).json.questions.map((x: any) => x.id)).toEqual(['int-001', 'int-002']);
  });
});

describe('lists count what they hold', () => {
  it('counts roster names, sessions and participants per class, and questions per quiz', async () => {
    const t = await teacher();
    const cls = (await call('/api/classes', { cookie: t.cookie, body: { name: 'C', roster: ['甲', '乙', '丙'] } })).json;
    const s = (await call('/api/sessions', { cookie: t.cookie, body: { title: 'S', classId: cls.id, count: 2 } })).json;
    await join(s.code, 'One');
    await join(s.code, 'Two');
    await call('/api/quizzes', { cookie: t.cookie, body: { title: 'Q', questionIds: ['int-001', 'int-002', 'int-003'] } });
    expect((await call('/api/classes', { cookie: t.cookie })).json.classes[0]).toMatchObject({ roster: 3, sessions: 1 });
    expect((await call(`/api/classes/${cls.id}`, { cookie: t.cookie })).json.sessions[0].participants).toBe(2);
    expect((await call('/api/quizzes', { cookie: t.cookie })).json.quizzes[0].questionCount).toBe(3);
  });
});
