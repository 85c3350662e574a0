/**
 * The account page in the browser: how long students' results are kept, "Download my data" (a
 * JSON file of everything), and "Delete my account" (the password typed again in a dialog).
 */
import { readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { baseUrl, launch, registerTeacher, shot, TEACHER_PASSWORD as PASSWORD } from './browser';

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

describe('the account page', () => {
  it('sets the retention period, downloads the data, and deletes the account with the password', async () => {
    const email = `zhao-${Date.now()}@school.example`;
    const page = await registerTeacher(browser, 'Ms Zhao', email);
    await page.goto(`${baseUrl}/teach/account`);

    const keep = page.getByLabel('Keep results for (days)');
    await expect.poll(() => keep.inputValue()).toBe('365');
    await keep.fill('30');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await expect.poll(() => page.getByText('✓ Saved.').isVisible()).toBe(true);
    await page.reload();
    await expect.poll(() => page.getByLabel('Keep results for (days)').inputValue()).toBe('30');

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'Download my data' }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^pomegranate-account-\d{4}-\d{2}-\d{2}\.json$/);
    const data = JSON.parse(readFileSync((await download.path())!, 'utf8'));
    expect(data.account).toMatchObject({ email, name: 'Ms Zhao', keepResultsDays: 30 });

    await page.getByRole('button', { name: 'Delete my account…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Delete your account for good?' });
    await expect.poll(() => dialog.isVisible()).toBe(true);
    await dialog.getByLabel('Password').fill('not my password');
    await dialog.getByRole('button', { name: 'Delete everything' }).click();
    await expect.poll(() => dialog.getByRole('alert').textContent()).not.toBe('');
    await shot(page, 'account-delete-dialog');
    await dialog.getByLabel('Password').fill(PASSWORD);
    await dialog.getByRole('button', { name: 'Delete everything' }).click();
    await expect.poll(() => new URL(page.url()).pathname).toBe('/teach');
    const me = await page.evaluate(async () => (await fetch('/api/auth/me')).status);
    expect(me).toBe(401);
    const signIn = await page.evaluate(
      async ([e, p]) =>
        (
          await fetch('/api/auth/signin', {
            method: 'POST',
            headers: { 'Content-Type': 'application/json' },
            body: JSON.stringify({ email: e, password: p }),
          })
        ).status,
      [email, PASSWORD],
    );
    expect(signIn).toBe(401);
  });
});
