import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { rawBank } from '../../db/bank';
import { parseBank, seedStatements } from '../../db/seed-sql';
import {
  answer,
  bankIdAt,
  call,
  join,
  keyFor,
  openSession,
  rightResponse,
  state,
  storedQuestion,
  teacherView,
} from './helpers';
import type { BankSummary } from '../../worker/contract';

const bank = parseBank(rawBank);
const reseed = (questions = bank) => env.DB.batch(seedStatements(questions).map((s) => env.DB.prepare(s)));

describe('the bank in D1', () => {
  it('summarises topics, types and difficulties for the teacher', async () => {
    const summary: BankSummary = (await call('/api/bank')).json;
    expect(summary.total).toBe(bank.length);
    expect(summary.types.reduce((n, t) => n + t.count, 0)).toBe(bank.length);
    expect(summary.difficulties.reduce((n, d) => n + d.count, 0)).toBe(bank.length);
    expect(summary.topics.find((t) => t.topic === 'border')!.count).toBe(
      bank.filter((q) => q.topics.includes('border')).length,
    );
  });

  it('opens sessions filtered by difficulty, in the chosen language', async () => {
    const s = await openSession({ difficulties: [3], count: null, lang: 'en' });
    expect(s.lang).toBe('en');
    expect(s.questionCount).toBe(bank.filter((q) => q.difficulty === 3).length);
    const { token } = await join(s.code, 'Ivy');
    expect((await state(token)).session.lang).toBe('en');
  });

  it('gives partial credit on multiple select when the session enables it', async () => {
    const s = await openSession({ types: ['multi'], count: 1, partialCredit: true });
    const { token } = await join(s.code, 'Jo');
    const q = await keyFor(s.id, (await state(token)).current!.question);
    if (q.type !== 'multi') throw new Error('expected a multiple-select question');
    const res = await answer(token, q.id, { optionIds: q.answer.slice(0, 1) });
    expect(res.json.verdict!.correct).toBe(false);
    expect(res.json.verdict!.points).toBeGreaterThan(0);
    expect(res.json.verdict!.points).toBeLessThanOrEqual(Math.round(1000 / q.answer.length));
  });

  it('re-seeds idempotently, updates a changed question in place and keeps past answers', async () => {
    const s = await openSession({ count: 1 });
    const { token } = await join(s.code, 'Kim');
    const served = await keyFor(s.id, (await state(token)).current!.question);
    expect((await answer(token, served.id, rightResponse(served))).json.verdict).toMatchObject({ correct: true });
    const q = { id: await bankIdAt(s.id) };
    const before = await env.DB.prepare('SELECT updated_at FROM questions WHERE id = ?')
      .bind(q.id)
      .first<{ updated_at: number }>();

    await reseed();
    const unchanged = await env.DB.prepare('SELECT updated_at FROM questions WHERE id = ?')
      .bind(q.id)
      .first<{ updated_at: number }>();
    expect(unchanged!.updated_at).toBe(before!.updated_at);

    const edited = bank.map((x) =>
      x.id === q.id ? { ...x, explanation: { ...x.explanation, en: `${x.explanation.en} (revised)` } } : x,
    );
    await reseed(edited);
    expect((await storedQuestion(q.id)).explanation!.en).toMatch(/\(revised\)$/);

    // Dropped from the bank: retired (not offered any more) but still there for past answers.
    await reseed(edited.filter((x) => x.id !== q.id));
    const row = await env.DB.prepare('SELECT retired FROM questions WHERE id = ?')
      .bind(q.id)
      .first<{ retired: number }>();
    expect(row!.retired).toBe(1);
    expect((await call('/api/bank')).json.total).toBe(bank.length - 1);
    const view = await teacherView(s);
    expect(view.questions[0]).toMatchObject({ id: q.id, answered: 1, correct: 1 });
    expect(view.leaderboard[0]!.score).toBeGreaterThan(0);

    await reseed();
    expect((await call('/api/bank')).json.total).toBe(bank.length);
  });
});
