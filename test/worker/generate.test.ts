import { describe, expect, it } from 'vitest';
import { call, expectError, join, state, teacher } from './helpers';

const text = `# 校运动会

2024年10月15日，我校举行第12届秋季运动会，共有1200名学生参加，比赛项目32个。
“阳光体育”活动已连续开展5年，学生体质达标率达到95%以上。

## 获奖情况

初二(3)班获得团体总分第一名，得分186分；初一(2)班获得“精神文明奖”。`;

describe('create from text', () => {
  it('makes drafts tied to their sentences, and saves the accepted ones as a quiz of own questions', async () => {
    const t = await teacher();
    expectError(await call('/api/generate', { body: { text } }), 401, 'signed_out');
    const res = await call('/api/generate', { cookie: t.cookie, body: { text } });
    expect(res.status, res.text).toBe(200);
    const drafts = res.json.drafts as { id: string; type: string; source: { quote: string }; confidence: number }[];
    // One draft per sentence at most (two drafts of one sentence would answer each other).
    expect(drafts.length).toBeGreaterThanOrEqual(3);
    const flat = text.replace(/\s+/g, '');
    for (const d of drafts)
      for (const piece of d.source.quote.split(' … ')) expect(flat).toContain(piece.replace(/\s+/g, ''));

    const accepted = drafts.slice(0, 3);
    const saved = await call('/api/generate/accept', { cookie: t.cookie, body: { title: '运动会', drafts: accepted } });
    expect(saved.status, saved.text).toBe(201);
    const quiz = (await call(`/api/quizzes/${saved.json.quizId}`, { cookie: t.cookie })).json;
    expect(quiz.questions).toHaveLength(3);
    expect(quiz.questions.every((q: any) => q.own && q.question.source.own && q.question.source.quote)).toBe(true);

    // The quiz plays like any other.
    const s = (await call('/api/sessions', { cookie: t.cookie, body: { title: '运动会', quizId: saved.json.quizId } }))
      .json;
    const { token } = await join(s.code, 'Kid');
    // The first saved question comes first, under an id of the session's own.
    const served = (await state(token)).current!.question;
    expect(served.stem).toEqual(quiz.questions[0].question.stem);
    expect(saved.json.questionIds).not.toContain(served.id);
  });

  it('explains empty or useless input', async () => {
    const t = await teacher();
    expectError(await call('/api/generate', { cookie: t.cookie, body: { text: '   ' } }), 400, 'invalid_json');
    expectError(
      await call('/api/generate', { cookie: t.cookie, body: { text: '今天天气很好，我们去公园散步吧。' } }),
      400,
      'no_drafts',
    );
    expectError(
      await call('/api/generate', { cookie: t.cookie, body: { text: 'x'.repeat(50_001) } }),
      400,
      'invalid_json',
    );
    expectError(
      await call('/api/generate/accept', { cookie: t.cookie, body: { title: 'x', drafts: [{ nonsense: true }] } }),
      400,
      'invalid_draft',
    );
  });
});
