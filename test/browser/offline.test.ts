/**
 * A classroom without internet (`npm run classroom`): nothing a page loads comes from anywhere but
 * the server itself (no font, CDN or analytics), the teacher's pages show the laptop's join address
 * rather than 127.0.0.1, and a phone whose connection drops keeps working: the page opens from the
 * service worker's cache, an untimed answer made offline waits on the phone and is stored exactly
 * once when the connection returns.
 */
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  DOC_SHOTS,
  answerThroughUi,
  baseUrl,
  launch,
  nextState,
  phone,
  says,
  shot,
  shows,
  teacherApi,
} from './browser';
import { ROOT } from '../support/process';
import type { CreatedSession, JoinOrigin, SessionReport } from '../../worker/contract';

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

const origin = new URL(baseUrl).origin;

/** Every http(s) and WebSocket address a context's pages and service worker ask for, from now on. */
function recordRequests(context: BrowserContext): string[] {
  const urls: string[] = [];
  // (A context's `request` event includes its service workers' requests.)
  context.on('request', (r) => urls.push(r.url()));
  const watch = (page: Page) => page.on('websocket', (ws) => urls.push(ws.url()));
  context.pages().forEach(watch);
  context.on('page', watch);
  return urls;
}

/** The addresses among `urls` that are not this server's (data: and blob: never leave the page). */
const elsewhere = (urls: string[]) =>
  urls.filter((u) => /^(https?|wss?):/.test(u) && new URL(u.replace(/^ws/, 'http')).origin !== origin);

/** A self-paced session from the bank, without an account, in both languages: single-choice questions. */
async function openSession(body: Record<string, unknown>): Promise<CreatedSession> {
  const res = await fetch(`${baseUrl}/api/sessions`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ title: 'Offline week', count: 2, types: ['single'], ...body }),
  });
  expect(res.status).toBe(201);
  return (await res.json()) as CreatedSession;
}

async function report(session: CreatedSession): Promise<SessionReport> {
  const res = await fetch(`${baseUrl}/api/sessions/${session.id}/report`, {
    headers: { Authorization: `Bearer ${session.teacherKey}` },
  });
  expect(res.status).toBe(200);
  return (await res.json()) as SessionReport;
}

describe('a classroom without internet', () => {
  it('the built pages, styles and scripts name no other host', () => {
    const dir = join(ROOT, 'dist/web');
    const files = readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => /\.(html|js|css)$/.test(f));
    expect(files).toContain('sw.js');
    // The service worker keeps the student's pages ahead of time (the entry, the live game's phone
    // screen), not the teacher's chunk, which is kept only once a teacher opens it.
    const shell = JSON.parse(/const SHELL = (\[.*\]);/.exec(readFileSync(join(dir, 'sw.js'), 'utf8'))![1]!) as string[];
    const entry = /src="(\/assets\/index-[^"]+\.js)"/.exec(readFileSync(join(dir, 'index.html'), 'utf8'))![1]!;
    expect(shell).toContain(entry);
    expect(shell.some((f) => f.includes('pg-live-play'))).toBe(true);
    expect(shell.filter((f) => /teacher|pg-live-host/.test(f))).toEqual([]);
    for (const file of files) {
      const text = readFileSync(join(dir, file), 'utf8');
      // Absolute (and protocol-relative) addresses: a font, a CDN script, an analytics beacon.
      expect(text.match(/(?:https?:)?\/\/[a-z0-9-]+(?:\.[a-z0-9-]+)+(?::\d+)?\//gi) ?? [], file).toEqual([]);
    }
  });

  it('no request leaves the server: the teacher’s workspace, the projector and a student answering', async () => {
    // The teacher who set up the other API tests, signed in on a desktop page.
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const [name, value] = (await teacherApi()).cookie().split('=') as [string, string];
    await context.addCookies([{ name, value, url: baseUrl }]);
    await context.addInitScript("localStorage.setItem('pomegranate:lang', 'en')");
    const teacher = await context.newPage();
    const teacherUrls = recordRequests(context);
    await teacher.goto(`${baseUrl}/teach`);
    await shows(teacher, 'heading', 'My workspace', 15_000);

    const live = await openSession({ mode: 'live', timeLimitSec: 30 });
    const projector = await (await browser.newContext({ viewport: { width: 1280, height: 720 } })).newPage();
    const projectorUrls = recordRequests(projector.context());
    await projector.goto(`${baseUrl}/teach/${live.id}/live#key=${live.teacherKey}`);
    await says(projector, live.code, { exact: true, timeout: 10_000 });

    const session = await openSession({ timeLimitSec: 0 });
    const student = await phone(browser);
    const studentUrls = recordRequests(student.context());
    await student.goto(`${baseUrl}/join/${session.code}`);
    await student.getByRole('textbox', { name: '昵称' }).fill('Mei');
    const state = await nextState(student, () => student.getByRole('button', { name: '加入', exact: true }).click());
    await answerThroughUi(student, state.current!.question, true, 'zh');
    await shows(student, 'heading', '回答正确');

    for (const urls of [teacherUrls, projectorUrls, studentUrls]) {
      expect(urls.length).toBeGreaterThan(2);
      expect(elsewhere(urls)).toEqual([]);
    }
    // The live projector's socket was recorded too.
    expect(projectorUrls.some((u) => u.startsWith('ws://'))).toBe(true);
    await Promise.all([teacher, projector, student].map((p) => p.context().close()));
  });

  it('shows the laptop’s join address, not 127.0.0.1, on the session page and the projector', async () => {
    const session = await openSession({ timeLimitSec: 0 });
    const lan: JoinOrigin = { origin: 'http://192.168.1.20:8787' };
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    // What `npm run classroom` makes the Worker answer (test/worker/classroom-mode.test.ts).
    await context.route('**/api/join-origin', (route) => route.fulfill({ json: lan }));
    await context.addInitScript("localStorage.setItem('pomegranate:lang', 'en')");
    const page = await context.newPage();
    await page.goto(`${baseUrl}/teach/${session.id}#key=${session.teacherKey}`);
    const joinUrl = `${lan.origin}/join/${session.code}`;
    await says(page, joinUrl, { exact: true, timeout: 10_000 });
    await shows(page, 'img', `Scan to join: QR code of ${joinUrl}`);
    expect(await page.getByText(/127\.0\.0\.1|localhost/).count()).toBe(0);
    // The top of the page, as the teacher sees it (the docs show it).
    await page.screenshot({ path: `${DOC_SHOTS}/classroom-teacher.png` });

    // The projector's lobby, opened on the laptop too.
    const live = await openSession({ mode: 'live', timeLimitSec: 30 });
    await page.goto(`${baseUrl}/teach/${live.id}/live#key=${live.teacherKey}`);
    const liveJoinUrl = `${lan.origin}/join/${live.code}`;
    await shows(page, 'img', `Scan to join: QR code of ${liveJoinUrl}`, 10_000);
    await says(page, liveJoinUrl, { exact: true });
    expect(await page.getByText(/127\.0\.0\.1|localhost/).count()).toBe(0);
    await context.close();
  });

  it('keeps an untimed answer made offline on the phone and stores it once when the connection returns', async () => {
    const session = await openSession({ timeLimitSec: 0 });
    const page = await phone(browser);
    const context = page.context();
    await page.goto(`${baseUrl}/join/${session.code}`);
    await page.getByRole('textbox', { name: '昵称' }).fill('Bao');
    const state = await nextState(page, () => page.getByRole('button', { name: '加入', exact: true }).click());
    // The service worker has installed and controls the page (it claims it on activation).
    await expect
      .poll(() => page.evaluate<boolean>('navigator.serviceWorker.controller !== null'), { timeout: 10_000 })
      .toBe(true);

    await context.setOffline(true);
    await answerThroughUi(page, state.current!.question, true, 'zh');
    await shows(page, 'heading', '已保存在本机，联网后自动提交');
    expect((await report(session)).students[0]!.answered).toBe(0);
    await shot(page, 'offline-waiting');

    // The page opens again while the server is unreachable: from the cache, with the answer still
    // waiting. (Under load, Chromium's offline emulation has let a resend started around the reload
    // reach the server while its reply was lost; the phone then keeps the answer, and it is stored
    // once all the same, as checked below.)
    const reloaded = await page.reload();
    expect(reloaded?.fromServiceWorker()).toBe(true);
    await shows(page, 'heading', '已保存在本机，联网后自动提交', 10_000);

    await context.setOffline(false);
    await shows(page, 'heading', '回答正确', 15_000);
    const students = (await report(session)).students;
    expect(students).toHaveLength(1);
    expect(students[0]!.answers).toHaveLength(1);
    expect(students[0]).toMatchObject({ nickname: 'Bao', answered: 1, correct: 1 });
    // Nothing is left waiting on the phone.
    expect(await page.evaluate<string | null>(`localStorage.getItem('pomegranate:outbox:${session.code}')`)).toBeNull();
    await context.close();
  });

  it('offers a new version when one is waiting, and switches to it only when asked', async () => {
    const context = await browser.newContext({ locale: 'zh-CN' });
    const page = await context.newPage();
    await page.goto(`${baseUrl}/`);
    await expect
      .poll(() => page.evaluate<boolean>('navigator.serviceWorker.controller !== null'), { timeout: 10_000 })
      .toBe(true);
    const first = await page.evaluate<string[]>('caches.keys()');
    expect(first).toHaveLength(1);
    expect(await page.getByText('新版本已就绪').count()).toBe(0);

    // A new build: the server now has a service worker with another build id.
    const current = await (await fetch(`${baseUrl}/sw.js`)).text();
    const next = current.replace(/const BUILD = "[^"]+"/, 'const BUILD = "next-build"');
    expect(next).not.toBe(current);
    // (The browser fetches a service worker's script past any route a test sets: the file itself changes.)
    const served = join(inject('webDir'), 'sw.js');
    writeFileSync(served, next);
    try {
      await expect.poll(async () => (await fetch(`${baseUrl}/sw.js`)).text(), { timeout: 10_000 }).toBe(next);
      // The browser checks for a new version now and then; the test asks it to (again, until it has
      // fetched the new script: one asked while the first install is still settling finds nothing new).
      await expect
        .poll(
          async () => {
            await page.evaluate('navigator.serviceWorker.getRegistration().then((r) => r.update())');
            return page.getByText('新版本已就绪').isVisible();
          },
          { timeout: 15_000, interval: 1000 },
        )
        .toBe(true);
      // The old version still serves the page until the student says so.
      expect(await page.evaluate<string[]>('caches.keys()')).toContain(first[0]);

      await Promise.all([page.waitForEvent('load'), page.getByRole('button', { name: '重新加载' }).click()]);
      await expect
        .poll(() => page.evaluate<string[]>('caches.keys()'), { timeout: 10_000 })
        .toEqual(['pomegranate-next-build']);
      expect(await page.getByText('新版本已就绪').count()).toBe(0);
    } finally {
      writeFileSync(served, current);
      await context.close();
    }
  });

  it('does not keep a timed answer: the student sees the connection is lost', async () => {
    const session = await openSession({ timeLimitSec: 60 });
    const page = await phone(browser);
    await page.goto(`${baseUrl}/join/${session.code}`);
    await page.getByRole('textbox', { name: '昵称' }).fill('Lan');
    const state = await nextState(page, () => page.getByRole('button', { name: '加入', exact: true }).click());
    await page.context().setOffline(true);
    await answerThroughUi(page, state.current!.question, true, 'zh');
    // After its retries (0.5 + 1 + 2 + 4 s) the answer is given up, with a retry button.
    await says(page, '连接不上服务器', { timeout: 15_000 });
    expect(await page.getByText('已保存在本机').count()).toBe(0);
    await page.context().close();
  });
});
