/**
 * One question of each of the seven types, answered through the UI in Chinese and in English:
 * every type renders, is operable with plain clicks and keys, and is scored right.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rawBank } from '../../db/bank';
import {
  answerThroughUi,
  baseUrl,
  expectNoSidewaysScroll,
  launch,
  nextState,
  phone,
  shot,
  teacherApi,
} from './browser';
import { BANK_QUESTION_TYPES, type CreatedSession } from '../../worker/contract';

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

/** A signed-in teacher's session of one bank question per type (through the HTTP API). */
async function sessionOfEveryType(): Promise<CreatedSession> {
  const teacher = await teacherApi();
  const bank = rawBank as { id: string; type: string }[];
  // (A poll is a teacher's own question, never a bank one: test/browser/poll.test.ts plays one.)
  const questionIds = BANK_QUESTION_TYPES.map((type) => bank.find((q) => q.type === type)!.id);
  const quiz = await teacher.post('/api/quizzes', {
    title: 'Every type',
    questionIds,
    settings: { timeLimitSec: 120 },
  });
  return teacher.post('/api/sessions', { title: '七种题型 Every type', quizId: quiz.id });
}

describe('every question type in the browser', () => {
  for (const lang of ['zh', 'en'] as const) {
    it(`renders, answers and scores all seven types in ${lang}`, async () => {
      const session = await sessionOfEveryType();
      const page = await phone(browser);
      await page.goto(`${baseUrl}/join/${session.code}`);
      if (lang === 'en') await page.getByRole('button', { name: 'Switch to English' }).click();
      await page.getByRole('textbox', { name: lang === 'zh' ? '昵称' : 'Nickname' }).fill(`Kid-${lang}`);
      let st = await nextState(page, () =>
        page.getByRole('button', { name: lang === 'zh' ? '加入' : 'Join', exact: true }).click(),
      );
      const seen: string[] = [];
      while (st.current) {
        const served = st.current.question;
        seen.push(served.type);
        await shot(page, `type-${served.type}-${lang}`);
        expect(await expectNoSidewaysScroll(page)).toBe(true);
        await answerThroughUi(page, served, true, lang);
        await expect
          .poll(() =>
            page.getByRole('heading', { name: lang === 'zh' ? '回答正确' : 'Correct', exact: true }).isVisible(),
          )
          .toBe(true);
        const last = seen.length === BANK_QUESTION_TYPES.length;
        const next = lang === 'zh' ? (last ? '查看成绩' : '下一题') : last ? 'See results' : 'Next question';
        st = await nextState(page, () => page.getByRole('button', { name: next }).click());
      }
      expect(seen.sort()).toEqual([...BANK_QUESTION_TYPES].sort());
      expect(st.me.finished).toBe(true);
      // All seven right, each within the time: between 7 × 500 and 7 × 1000 points.
      expect(st.me.score).toBeGreaterThanOrEqual(3500);
      await shot(page, `types-end-${lang}`);
      await page.context().close();
    });
  }
});
