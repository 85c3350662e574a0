import { describe, expect, it } from 'vitest';
import { call, expectError, ownQuestion, teacher } from './helpers';

describe('the bank and own questions', () => {
  it('browses and searches the bank with filters, own questions first', async () => {
    const a = await teacher();
    await call('/api/questions', { cookie: a.cookie, body: ownQuestion });
    const all = (await call('/api/questions?limit=5', { cookie: a.cookie })).json;
    expect(all.total).toBeGreaterThan(150);
    expect(all.items).toHaveLength(5);
    expect(all.items[0].own).toBe(true);
    const border = (await call('/api/questions?topic=border&type=single&limit=200', { cookie: a.cookie })).json;
    expect(border.items.length).toBeGreaterThan(0);
    expect(border.items.every((i: any) => i.question.topics.includes('border') && i.question.type === 'single')).toBe(
      true,
    );
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
    expectError(
      await call('/api/questions', { cookie: a.cookie, body: { ...ownQuestion, answer: 'z' } }),
      400,
      'invalid_question',
    );
    expectError(
      await call('/api/questions', { cookie: a.cookie, body: { ...ownQuestion, type: 'numeric' } }),
      400,
      'invalid_question',
    );
    expectError(
      await call('/api/questions', { cookie: a.cookie, body: { ...ownQuestion, topics: [] } }),
      400,
      'invalid_question',
    );
    const withQuote = await call('/api/questions', {
      cookie: a.cookie,
      body: { ...ownQuestion, source: { quote: '学校位于呼和浩特市。', heading: '校史' } },
    });
    expect(withQuote.json.question.source).toEqual({ own: true, quote: '学校位于呼和浩特市。', heading: '校史' });
  });
});
