/**
 * Shared pieces of the browser tests: Chromium through playwright-core, the server started by
 * global-setup.ts, screenshots into the git-ignored test-results/, and a student's hands that can
 * answer any of the seven question types through the real UI (keyboard-operable controls only).
 */
import { mkdirSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';
import { expect, inject } from 'vitest';
import { asServed } from '../responses';
import { servedQuestion } from '../support/answers';
import type { CreatedSession, PlayState, Question, ServerMessage, StudentQuestion } from '../../worker/contract';

export const baseUrl = inject('baseUrl');
export const SHOTS = 'test-results/screenshots';
mkdirSync(SHOTS, { recursive: true });
/**
 * The screenshots the docs show (committed): a test that takes them writes them here when
 * `DOC_SCREENSHOTS=1` (so that a plain test run leaves the working tree as it was), else with the others.
 */
export const DOC_SHOTS = process.env.DOC_SCREENSHOTS === '1' ? 'docs/screenshots' : SHOTS;

/** Headless Chromium with the flags this machine needs (no sandbox as root, no background networking). */
export function launch(): Promise<Browser> {
  return chromium.launch({
    executablePath: inject('chromium'),
    args: [
      '--headless=new',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}

/** A phone-sized page (360 px wide) in a fresh context: its own localStorage, like its own device. */
export async function phone(browser: Browser): Promise<Page> {
  const context = await browser.newContext({
    viewport: { width: 360, height: 740 },
    deviceScaleFactor: 2,
    locale: 'zh-CN',
  });
  const page = await context.newPage();
  page.on('pageerror', (err) => {
    throw err;
  });
  return page;
}

/** Waits until `page` shows an element of this role and accessible name. */
export const shows = (page: Page, role: Parameters<Page['getByRole']>[0], name: string | RegExp, timeout = 5000) =>
  expect.poll(() => page.getByRole(role, { name }).first().isVisible(), { timeout }).toBe(true);

/** Waits until `page` shows this text (anywhere in an element's text, unless `exact`). */
export const says = (page: Page, text: string | RegExp, { exact = false, timeout = 5000 } = {}) =>
  expect.poll(() => page.getByText(text, { exact }).first().isVisible(), { timeout }).toBe(true);

/** A student's phone in a live game and the questions its live socket received, in order. */
export interface LiveStudent {
  name: string;
  page: Page;
  questions: StudentQuestion[];
  right: boolean;
  /** The live room its socket went to (its ticket's prefix): the session id, or `<id>~k` for a contest's room k. */
  room: string | null;
}

/** Joins a live game on a phone (in Chinese) through the join page, which sends the student to `/live/<CODE>`. */
export async function joinLive(browser: Browser, code: string, name: string, right: boolean): Promise<LiveStudent> {
  const page = await phone(browser);
  const student: LiveStudent = { name, page, questions: [], right, room: null };
  // The questions as served to this student (their order of choices), read off the live socket.
  page.on('websocket', (ws) => {
    student.room = new URL(ws.url()).searchParams.get('ticket')?.split('.')[0] ?? null;
    ws.on('framereceived', ({ payload }) => {
      const msg = JSON.parse(String(payload)) as { type: string; question?: StudentQuestion };
      if (msg.type === 'question' && msg.question && !student.questions.some((q) => q.id === msg.question!.id))
        student.questions.push(msg.question);
    });
  });
  await page.goto(`${baseUrl}/join/${code}`);
  await page.getByRole('textbox', { name: '昵称' }).fill(name);
  await page.getByRole('button', { name: '加入', exact: true }).click();
  await page.waitForURL(`**/live/${code}`);
  await shows(page, 'heading', '你已加入！');
  await says(page, `你的昵称：${name}`);
  return student;
}

/**
 * A teacher's screen (the projector at 1280×720, or the remote on a phone) in a context of its own,
 * in English, with the server's messages it received.
 */
export async function teacherScreen(
  browser: Browser,
  url: string,
  phone: boolean,
): Promise<{ page: Page; frames: ServerMessage[] }> {
  // (bypassCSP: the page's policy would refuse axe-core's script tag.)
  const context = await browser.newContext(
    phone
      ? { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2, bypassCSP: true }
      : { viewport: { width: 1280, height: 720 }, bypassCSP: true },
  );
  const page = await context.newPage();
  const frames: ServerMessage[] = [];
  page.on('pageerror', (err) => {
    throw err;
  });
  page.on('websocket', (ws) =>
    ws.on('framereceived', ({ payload }) => frames.push(JSON.parse(String(payload)) as ServerMessage)),
  );
  // In English from the start (a projector opened while a remote is connected hides its strip, and
  // the language switch with it).
  await context.addInitScript("localStorage.setItem('pomegranate:lang', 'en')");
  // Not waiting for `load` (every image and chunk, and beside them the service worker's first
  // install): the tests wait for what they look at, and a busy server took `load` past 30 s once.
  await page.goto(url, { waitUntil: 'domcontentloaded' });
  return { page, frames };
}

/** A teacher's password in the browser tests. */
export const TEACHER_PASSWORD = 'correct horse battery';

/** A new teacher, registered through the sign-in page in English, on a desktop-sized page of its own. */
export async function registerTeacher(browser: Browser, name = 'Ms Zhao', email?: string): Promise<Page> {
  const page = await (
    await browser.newContext({ viewport: { width: 1280, height: 900 }, acceptDownloads: true })
  ).newPage();
  page.on('pageerror', (err) => {
    throw err;
  });
  await page.goto(`${baseUrl}/teach/signin`);
  await page.getByRole('button', { name: 'Switch to English' }).click();
  await page.getByRole('tab', { name: 'Register' }).click();
  await page.getByLabel('Your name').fill(name);
  await page
    .getByLabel('Email')
    .fill(email ?? `teacher-${Date.now()}-${Math.random().toString(36).slice(2, 8)}@school.example`);
  await page.getByLabel('Password').fill(TEACHER_PASSWORD);
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect
    .poll(() => page.getByRole('heading', { name: 'My workspace' }).isVisible(), { timeout: 15_000 })
    .toBe(true);
  return page;
}

/** The teacher the API set-ups share: one account per server (each new account uses up the address's registrations). */
const API_TEACHER = { email: 'api-teacher@school.example', name: 'T', password: TEACHER_PASSWORD };

/**
 * A teacher signed in through the HTTP API, cookie kept, for tests that set up through the API
 * (questions of their own, quizzes, sessions) what others do through the pages. Every such test
 * shares one account, registered by the first: the server allows an address ten new accounts an
 * hour, and the tests of the pages need their own. `post` sends JSON, `upload` a form; both throw
 * on a refusal.
 */
export async function teacherApi() {
  let cookie = '';
  const send = async (path: string, body: string | FormData, accept: number[] = []) => {
    const res = await fetch(`${baseUrl}${path}`, {
      method: 'POST',
      headers: {
        Origin: baseUrl,
        Cookie: cookie,
        ...(typeof body === 'string' ? { 'Content-Type': 'application/json' } : {}),
      },
      body,
    });
    if (!res.ok && !accept.includes(res.status)) throw new Error(`${path}: ${res.status} ${await res.text()}`);
    const set = res.headers.getSetCookie().map((c) => c.split(';')[0]);
    if (set.length) cookie = set.join('; ');
    return (await res.json()) as any;
  };
  const post = (path: string, body: unknown) => send(path, JSON.stringify(body));
  // Signed in if another test registered it; registered by the first.
  const signedIn = await send(
    '/api/auth/signin',
    JSON.stringify({ email: API_TEACHER.email, password: API_TEACHER.password }),
    [401],
  );
  if (signedIn.error) await post('/api/auth/register', API_TEACHER);
  return {
    post,
    upload: (path: string, form: FormData) => send(path, form),
    /** The sign-in cookie (`pg_session=…`), for a browser context of this teacher. */
    cookie: () => cookie,
    /**
     * A live session of the teacher's own `questions` (as the editor sends them), in that order;
     * with the questions as stored (their answer keys, for `answerThroughUi`).
     */
    async liveSession(
      title: string,
      questions: readonly unknown[],
      { timeLimitSec = 60, teams }: { timeLimitSec?: number; teams?: number } = {},
    ): Promise<{ session: CreatedSession; questions: Question[] }> {
      const made: { id: string; question: Question }[] = [];
      for (const q of questions) made.push(await post('/api/questions', q));
      const quiz = await post('/api/quizzes', {
        title,
        questionIds: made.map((m) => m.id),
        settings: { timeLimitSec },
      });
      const session = await post('/api/sessions', {
        title,
        quizId: quiz.id,
        mode: 'live',
        ...(teams ? { teams } : {}),
      });
      return { session, questions: made.map((m) => m.question) };
    },
  };
}

/** axe-core on the whole page (shadow roots included): the serious and critical violations. */
export async function axe(page: Page): Promise<string[]> {
  if (!(await page.evaluate<boolean>('typeof axe !== "undefined"')))
    await page.addScriptTag({ path: 'node_modules/axe-core/axe.min.js' });
  const violations = await page.evaluate<{ id: string; impact: string; nodes: { target: unknown }[] }[]>(
    `axe.run(document, { resultTypes: ['violations'] }).then((r) => r.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.map((n) => ({ target: n.target })) })))`,
  );
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${JSON.stringify(v.nodes.map((n) => n.target))}`);
}

/**
 * A live session's projector (1280×720), opened with the teacher link's key and switched to
 * English, once its lobby shows the join code; with the page's errors collected for the test to check.
 */
export async function openProjector(browser: Browser, session: { id: string; teacherKey: string; code: string }) {
  const projector = await (await browser.newContext({ viewport: { width: 1280, height: 720 } })).newPage();
  const errors: Error[] = [];
  projector.on('pageerror', (err) => errors.push(err));
  await projector.goto(`${baseUrl}/teach/${session.id}/live#key=${session.teacherKey}`);
  await projector.getByRole('button', { name: 'Switch to English' }).click();
  await says(projector, session.code, { exact: true });
  return { projector, errors };
}

/** Saves a full-page screenshot under test-results/screenshots (or `dir`, such as {@link DOC_SHOTS}). */
export const shot = (page: Page, name: string, dir = SHOTS) =>
  page.screenshot({ path: `${dir}/${name}.png`, fullPage: true });

/** Fails when the page scrolls sideways (text must fit a 360 px screen). */
export async function expectNoSidewaysScroll(page: Page): Promise<boolean> {
  // A string, so this Node-side file needs no DOM types.
  return page.evaluate<boolean>('document.documentElement.scrollWidth <= window.innerWidth + 1');
}

type Lang = 'zh' | 'en';
const words = {
  zh: { yes: '对', no: '错', answer: '你的答案', submit: '提交答案', up: (x: string) => `上移“${x}”` },
  en: { yes: 'True', no: 'False', answer: 'Your answer', submit: 'Submit answer', up: (x: string) => `Move '${x}' up` },
};

/** Waits for the next `GET /api/play` and returns the state it carried. */
export async function nextState(page: Page, trigger: () => Promise<unknown>): Promise<PlayState> {
  const [res] = await Promise.all([
    page.waitForResponse((r) => new URL(r.url()).pathname === '/api/play' && r.request().method() === 'GET'),
    trigger(),
  ]);
  return (await res.json()) as PlayState;
}

/**
 * Answers the current question through the UI, right or wrong, in the page's language, then
 * submits and waits for the verdict. `served` is the question as the server sent it (its order of
 * items to sort, the session's ids). Returns its answer key, in those ids, for assertions.
 */
export async function answerThroughUi(
  page: Page,
  served: NonNullable<PlayState['current']>['question'],
  right: boolean,
  lang: Lang,
  sessionLang: 'zh' | 'en' | 'both' = 'both',
  /** The question with its answer key, when it is not a bank question (a teacher's own). */
  known?: Question,
): Promise<Question> {
  const q = known ? asServed(known, served) : servedQuestion(served).key;
  const w = words[lang];
  const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  // With both languages the accessible name is the reader's language, then the other one.
  const other: Lang = lang === 'zh' ? 'en' : 'zh';
  // (A text the same in both languages, as in drafts made from Chinese, is shown once.)
  const both = (o: { text: { zh: string; en: string } }) => sessionLang === 'both' && o.text.zh !== o.text.en;
  // (On a live game's phone, a choice's name starts with its answer tile's letter: "A …"; a choice
  // with an image ends with the image's alt text, in the reader's language.)
  const name = (o: { text: { zh: string; en: string }; image?: { alt: { zh: string; en: string } } }) =>
    new RegExp(
      `^(?:[A-Z]\\s*)?${
        both(o)
          ? `${esc(o.text[lang])}\\s*${esc(o.text[other])}`
          : esc(o.text[sessionLang === 'both' ? lang : sessionLang])
      }${o.image ? `\\s*${esc(o.image.alt[sessionLang === 'both' ? lang : sessionLang])}` : ''}$`,
    );
  const text = (o: { text: { zh: string; en: string } }) => o.text[sessionLang === 'both' ? lang : sessionLang];
  const selectLabel = (o: { text: { zh: string; en: string } }) =>
    both(o) ? `${o.text[lang]} / ${o.text[other]}` : text(o);
  switch (q.type) {
    case 'poll':
      // No option is right: `right` votes for the first, otherwise the last; sent on the tap.
      await page.getByRole('button', { name: name(right ? q.options[0]! : q.options.at(-1)!), exact: true }).click();
      return q;
    case 'single': {
      const pick = right ? q.options.find((o) => o.id === q.answer)! : q.options.find((o) => o.id !== q.answer)!;
      // Sent on the tap: there is no submit button.
      await page.getByRole('button', { name: name(pick), exact: true }).click();
      return q;
    }
    case 'multi': {
      const picks = right
        ? q.options.filter((o) => q.answer.includes(o.id))
        : [q.options.find((o) => !q.answer.includes(o.id))!];
      for (const o of picks) await page.getByRole('checkbox', { name: name(o), exact: true }).check();
      break;
    }
    case 'truefalse':
      await page
        .getByRole('button', { name: new RegExp(`^(?:[A-Z]\\s*)?${esc(q.answer === right ? w.yes : w.no)}$`) })
        .click();
      return q;
    case 'numeric':
      await page.getByRole('textbox', { name: w.answer }).fill(String(right ? q.answer : q.answer + q.tolerance + 1));
      break;
    case 'text':
      await page.getByRole('textbox', { name: w.answer }).fill(right ? q.answer[0]! : '不知道');
      break;
    case 'open':
      // Nothing is right or wrong: `right` types Chinese, otherwise English.
      await page.getByRole('textbox', { name: w.answer }).fill(right ? '民族团结' : 'Unity');
      break;
    case 'ordering': {
      // Bubble each item up to its place with the "move up" buttons, as a keyboard user would.
      const order = served.options!.map((o) => o.id);
      const target = right ? q.answer : order;
      for (let i = 0; i < target.length; i++) {
        let j = order.indexOf(target[i]!);
        const item = q.options.find((o) => o.id === target[i])!;
        while (j > i) {
          await page.getByRole('button', { name: w.up(text(item)), exact: true }).click();
          [order[j - 1], order[j]] = [order[j]!, order[j - 1]!];
          j--;
        }
      }
      break;
    }
    case 'matching': {
      const pairs = Object.entries(q.answer);
      for (const [i, [left, target]] of pairs.entries()) {
        const chosen = right ? target : pairs[(i + 1) % pairs.length]![1];
        const leftItem = q.options.find((o) => o.id === left)!;
        const choice = q.targets.find((t) => t.id === chosen)!;
        await page
          .getByRole('combobox', { name: name(leftItem), exact: true })
          .selectOption({ label: selectLabel(choice) });
      }
      break;
    }
  }
  await page.getByRole('button', { name: w.submit, exact: true }).click();
  return q;
}
