import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { answer, call, join, keyFor, ownQuestion, rightResponse, state, teacher } from './helpers';

describe('quizzes', () => {
  it('edits, reorders and duplicates a quiz; deleting a used question retires it', async () => {
    const a = await teacher();
    const q = (await call('/api/questions', { cookie: a.cookie, body: ownQuestion })).json;
    const quiz = (
      await call('/api/quizzes', { cookie: a.cookie, body: { title: 'Q', questionIds: ['int-001', q.id] } })
    ).json;
    const put = await call(`/api/quizzes/${quiz.id}`, {
      method: 'PUT',
      cookie: a.cookie,
      body: { questionIds: [q.id, 'int-001', 'int-002'], settings: { shuffleOptions: true } },
    });
    expect(put.json.settings.shuffleOptions).toBe(true);
    const copy = (await call(`/api/quizzes/${quiz.id}/duplicate`, { method: 'POST', cookie: a.cookie })).json;
    expect(copy.title).toBe('Q (copy)');
    expect(copy.questionIds).toEqual([q.id, 'int-001', 'int-002']);

    // Play the own question once, then delete it: it is retired, not lost.
    const s = (await call('/api/sessions', { cookie: a.cookie, body: { title: 'S', quizId: quiz.id } })).json;
    const { token } = await join(s.code, 'Mo');
    const first = await state(token);
    expect(first.current!.question.stem).toEqual(ownQuestion.stem);
    const key = await keyFor(s.id, first.current!.question);
    expect((await answer(token, key.id, rightResponse(key))).json.verdict).toMatchObject({ correct: true });
    expect((await call(`/api/questions/${q.id}`, { method: 'DELETE', cookie: a.cookie })).status).toBe(204);
    const row = await env.DB.prepare('SELECT retired FROM questions WHERE id = ?')
      .bind(q.id)
      .first<{ retired: number }>();
    expect(row!.retired).toBe(1);
    expect((await call(`/api/quizzes/${quiz.id}`, { cookie: a.cookie })).json.questions.map((x: any) => x.id)).toEqual([
      'int-001',
      'int-002',
    ]);
  });
});
