/**
 * The quiz builder warns when a quiz holds two related bank questions (one's stem gives away the
 * other's answer, or both test the same fact: db/bank/relations.json), in the teacher's language,
 * and the warning goes when one of them is removed.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { baseUrl, launch, registerTeacher } from './browser';

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

/** Adds one bank question by its id (the bank search looks through a question's whole record). */
async function addById(page: Page, id: string, count: number): Promise<void> {
  await page.getByRole('searchbox', { name: 'Search questions' }).fill(id);
  await page.getByRole('button', { name: 'Search', exact: true }).click();
  await expect.poll(() => page.getByRole('button', { name: 'Add to quiz' }).count()).toBe(1);
  await page.getByRole('button', { name: 'Add to quiz' }).click();
  await expect
    .poll(() => page.getByRole('heading', { name: `Questions in this quiz (${count})` }).isVisible())
    .toBe(true);
}

describe('the quiz builder', () => {
  it('warns about related bank questions in a quiz, and stops when one is removed', async () => {
    const page = await registerTeacher(browser);
    await page.getByRole('link', { name: 'New quiz' }).click();
    const warning = page.locator('#related-warning');

    await addById(page, 'dem-044', 1);
    await addById(page, 'int-003', 2);
    expect(await warning.count()).toBe(0);

    // dem-044 and dem-046 test the same fact; int-002 names the 41st activity month int-001 asks for, and the reverse.
    await addById(page, 'dem-046', 3);
    await expect.poll(() => warning.textContent()).toContain('Questions 1 and 3 test the same fact.');
    await addById(page, 'int-002', 4);
    await addById(page, 'int-001', 5);
    await expect.poll(() => warning.textContent()).toContain('Question 4 gives away the answer to question 5.');
    expect(await warning.textContent()).toContain('Question 5 gives away the answer to question 4.');
    expect(await warning.getByRole('listitem').count()).toBe(3);

    await page.getByRole('button', { name: '切换到中文' }).click();
    await expect.poll(() => warning.textContent()).toContain('第1题和第3题考查的是同一事实。');
    expect(await warning.textContent()).toContain('第4题的题干透露了第5题的答案。');
    await page.getByRole('button', { name: 'Switch to English' }).click();

    await page.getByRole('button', { name: 'Remove question 5' }).click();
    await page.getByRole('button', { name: 'Remove question 3' }).click();
    await expect.poll(() => warning.count()).toBe(0);
  });
});
