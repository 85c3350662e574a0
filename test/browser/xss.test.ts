/**
 * No user text is ever rendered as HTML. A teacher writes questions whose stem, choices,
 * explanation, source quote and heading are HTML/script payloads, names a quiz, a class, roster
 * entries and sessions the same way; students join with payload nicknames. Every screen that shows
 * that text is visited in Chromium: the student's play, feedback and leaderboard screens, the
 * teacher's dashboard, report, quiz builder, class page and workspace, and the live game's
 * projector and student screens.
 *
 * The pages run with the Content-Security-Policy bypassed, so that an injected handler *would* run:
 * the CSP is a second line of defence, checked on its own at the end. On each screen: no dialog
 * opened, the payloads' `window.__xss` flag is unset, the DOM (shadow roots included) holds no
 * element or attribute a payload would have created (inline handlers, `javascript:` URLs, inline
 * scripts, iframes, the payloads' ids), and the payload text is visible as text.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LiveSocket } from '../support/live-socket';
import { baseUrl, launch, shot } from './browser';
import { asServed, rightResponse, wrongResponse } from '../responses';
import type { CreatedSession, Joined, PlayState, Question, ServerMessage, TeacherView } from '../../worker/contract';

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

// Payloads ------------------------------------------------------------------------------------------

/** Each payload sets `window.__xss` and opens a dialog if it ever runs. */
const P = {
  img: `<img src=x onerror="window.__xss='img';alert('img')">`,
  script: `<script>window.__xss='script';alert('script')</script>`,
  svg: `"><svg onload="window.__xss='svg';alert('svg')">`,
  link: `<a id=pwnlink href="javascript:window.__xss='link';alert('link')">click me</a>`,
  iframe: `<iframe id=pwnframe srcdoc="<script>parent.__xss='iframe'</script>"></iframe>`,
  attr: `' onmouseover='window.__xss=1' x='`,
  style: `<style>*{display:none!important}</style><b id=pwnb>bold</b>`,
  template: '{{7*7}} ${7*7} <%= 7*7 %>',
  url: 'javascript:alert(document.domain)',
};
/** Nicknames of at most 20 characters that would run or make elements as HTML. */
const NICKS = [
  '<svg/onload=alert()>',
  '<img/src/onerror=f>',
  '"><b id=pwn3>x</b>',
  'javascript:alert(1)',
  '{{7*7}}${7*7}',
];
const BROWSER_NICK = '<i id=pwn4>me</i>';
const LIVE_NICK = '<u id=pwn5>live</u>';

const localized = (s: string) => ({ zh: s, en: s });
const single = {
  type: 'single',
  stem: localized(`Q1 ${P.img} ${P.script}`),
  options: [
    { id: 'a', text: localized(`A ${P.svg}`) },
    { id: 'b', text: localized(`B ${P.link}`) },
    { id: 'c', text: localized(`C ${P.template}`) },
    { id: 'd', text: localized(`D ${P.attr}`) },
  ],
  answer: 'a',
  explanation: localized(`E1 ${P.iframe} ${P.url}`),
  source: { quote: `S1 ${P.img} ${P.style}`, heading: `H1 ${P.svg}` },
  topics: ['history'],
  difficulty: 1,
};
const text = {
  type: 'text',
  stem: localized(`Q2 ${P.svg}`),
  answer: ['<b id=pwn6>yes</b>'],
  explanation: localized(`E2 ${P.script}`),
  source: { quote: `S2 ${P.link}`, heading: P.url },
  topics: ['history'],
  difficulty: 1,
};
const matching = {
  type: 'matching',
  stem: localized(`Q3 ${P.style}`),
  options: [
    { id: 'a', text: localized(`L1 ${P.img}`) },
    { id: 'b', text: localized(`L2 ${P.iframe}`) },
  ],
  targets: [
    { id: 'x', text: localized(`T1 ${P.svg}`) },
    { id: 'y', text: localized(`T2 ${P.script}`) },
    { id: 'z', text: localized(`T3 ${P.template}`) },
  ],
  answer: { a: 'x', b: 'y' },
  explanation: localized(`E3 ${P.attr}`),
  source: { quote: `S3 ${P.template}` },
  topics: ['history'],
  difficulty: 1,
};

// API helpers (Node side) -----------------------------------------------------------------------------

async function api<T = any>(
  path: string,
  init: { body?: unknown; cookie?: string; token?: string; method?: string } = {},
): Promise<{ status: number; json: T; headers: Headers }> {
  const headers: Record<string, string> = { Origin: baseUrl };
  if (init.body !== undefined) headers['Content-Type'] = 'application/json';
  if (init.cookie) headers.Cookie = init.cookie;
  if (init.token) headers.Authorization = `Bearer ${init.token}`;
  const res = await fetch(`${baseUrl}${path}`, {
    method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
    headers,
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  const body = await res.text();
  return {
    status: res.status,
    json: (body && res.headers.get('content-type')?.includes('json') ? JSON.parse(body) : body) as T,
    headers: res.headers,
  };
}

async function ok<T = any>(path: string, init: Parameters<typeof api>[1] = {}, status = 200): Promise<T> {
  const res = await api<T>(path, init);
  expect(res.status, `${path}: ${JSON.stringify(res.json)}`).toBe(status);
  return res.json;
}

/** A student who plays a whole self-paced session over HTTP, answering right. */
async function playByApi(code: string, nickname: string) {
  const { token } = await ok<Joined>(`/api/codes/${code}/participants`, { body: { nickname } }, 201);
  for (;;) {
    const st = await ok<PlayState>('/api/play', { token });
    if (!st.current) return token;
    const q = [single, text, matching].find((x) => st.current!.question.stem.en === x.stem.en)!;
    // The answer in the ids the session shows (never the ids the questions were written with).
    const key = asServed(q as unknown as Question, st.current.question);
    await ok('/api/play/answers', { token, body: { questionId: key.id, response: rightResponse(key) } });
  }
}

// Browser helpers ---------------------------------------------------------------------------------

/** What went wrong on a page: dialogs and uncaught errors. */
const incidents = new Map<Page, string[]>();

async function open(context: BrowserContext, url: string): Promise<Page> {
  const page = await context.newPage();
  const seen: string[] = [];
  incidents.set(page, seen);
  page.on('dialog', (d) => {
    seen.push(`dialog: ${d.message()}`);
    void d.dismiss();
  });
  page.on('pageerror', (err) => seen.push(`page error: ${err.message}`));
  await page.goto(url);
  return page;
}

/** A fresh context with the page's CSP bypassed (an injected handler would run) and, optionally, the teacher's cookie. */
async function context(options: { phone?: boolean; cookie?: string } = {}): Promise<BrowserContext> {
  const ctx = await browser.newContext({
    bypassCSP: true,
    viewport: options.phone ? { width: 360, height: 740 } : { width: 1280, height: 900 },
    locale: options.phone ? 'zh-CN' : 'en-US',
  });
  if (options.cookie) {
    const [name, value] = options.cookie.split('=') as [string, string];
    await ctx.addCookies([{ name, value, url: baseUrl }]);
  }
  return ctx;
}

/** Walks the document and every shadow root for what an injected payload would leave behind. */
const INSPECT = `(() => {
  const found = [];
  const visit = (root) => {
    for (const el of root.querySelectorAll('*')) {
      const tag = el.tagName.toLowerCase();
      for (const a of el.getAttributeNames()) {
        const v = el.getAttribute(a) || '';
        if (/^on/i.test(a)) found.push(tag + '[' + a + ']');
        if (/^(href|src|action|formaction|xlink:href|data|srcdoc)$/i.test(a) && /^\\s*javascript:/i.test(v)) found.push(tag + '[' + a + '=javascript:…]');
        if (a === 'srcdoc') found.push(tag + '[srcdoc]');
      }
      if (['iframe', 'object', 'embed', 'frame'].includes(tag)) found.push(tag);
      if (tag === 'script' && !el.getAttribute('src')) found.push('inline <script>');
      if (tag === 'style' && /display:none!important/.test(el.textContent || '')) found.push('injected <style>');
      if (el.id && el.id.startsWith('pwn')) found.push('#' + el.id);
      if (tag === 'img' && el.getAttribute('src') === 'x') found.push('img[src=x]');
      if (el.shadowRoot) visit(el.shadowRoot);
    }
  };
  visit(document);
  return { flag: window.__xss === undefined ? null : String(window.__xss), found };
})()`;

/** Nothing ran and nothing was made from the payloads; each of `visible` is on the screen as text. */
async function expectSafe(page: Page, screen: string, visible: string[]) {
  for (const t of visible)
    await expect
      .poll(() => page.getByText(t).first().isVisible(), {
        timeout: 10_000,
        message: `${screen}: "${t}" is not visible as text`,
      })
      .toBe(true);
  // Give delayed handlers (image errors, onload) a moment.
  await page.waitForTimeout(300);
  const { flag, found } = await page.evaluate<{ flag: string | null; found: string[] }>(INSPECT);
  expect({ screen, flag, found, incidents: incidents.get(page) ?? [] }).toEqual({
    screen,
    flag: null,
    found: [],
    incidents: [],
  });
  await shot(page, `xss-${screen}`);
}

/** Waits until `page` shows an element of this role and name. */
const shows = (page: Page, role: Parameters<Page['getByRole']>[0], name: string | RegExp, timeout = 10_000) =>
  expect.poll(() => page.getByRole(role, { name }).first().isVisible(), { timeout }).toBe(true);

// The test ------------------------------------------------------------------------------------------

describe('user text is never rendered as HTML', () => {
  it(
    'on the student, teacher and projector screens, with payloads in questions, names and nicknames',
    { timeout: 300_000 },
    async () => {
      // The teacher: an account, three questions, quizzes, a class with a roster, sessions; all named with payloads.
      const email = `xss-${Date.now()}@school.example`;
      const registered = await api('/api/auth/register', {
        body: { email, name: `T ${P.svg}`.slice(0, 80), password: 'correct horse battery' },
      });
      expect(registered.status).toBe(201);
      const cookie = /pg_session=[^;]+/.exec(registered.headers.get('set-cookie') ?? '')![0];
      const ids: string[] = [];
      for (const q of [single, text, matching])
        ids.push((await ok<{ id: string }>('/api/questions', { cookie, body: q }, 201)).id);
      const quiz = await ok<{ id: string }>(
        '/api/quizzes',
        { cookie, body: { title: `Quiz ${P.img}`, questionIds: ids, settings: { timeLimitSec: 0, lang: 'en' } } },
        201,
      );
      const liveQuiz = await ok<{ id: string }>(
        '/api/quizzes',
        {
          cookie,
          body: { title: `Live ${P.svg}`, questionIds: [ids[0]], settings: { timeLimitSec: 120, lang: 'en' } },
        },
        201,
      );
      const cls = await ok<{ id: string }>(
        '/api/classes',
        {
          cookie,
          body: {
            name: `Class ${P.img}`.slice(0, 80),
            roster: [`R1 ${P.svg}`.slice(0, 80), `R2 ${P.script}`.slice(0, 80)],
          },
        },
        201,
      );
      const session = await ok<CreatedSession>(
        '/api/sessions',
        { cookie, body: { title: `S ${P.svg}`.slice(0, 80), quizId: quiz.id, classId: cls.id, allowGuests: true } },
        201,
      );
      const live = await ok<CreatedSession>(
        '/api/sessions',
        { cookie, body: { title: `L ${P.img}`.slice(0, 80), quizId: liveQuiz.id, mode: 'live' } },
        201,
      );

      // Classmates with payload nicknames play through; one is linked to a roster name.
      for (const nickname of NICKS) await playByApi(session.code, nickname);
      const view = await ok<TeacherView>(`/api/sessions/${session.id}`, { token: session.teacherKey });
      const klass = await ok<{ roster: { id: string; name: string }[] }>(`/api/classes/${cls.id}`, { cookie });
      const rosterEntry = klass.roster?.[0];
      if (rosterEntry)
        await ok(`/api/sessions/${session.id}/participants/${view.participants[0]!.id}/roster`, {
          method: 'PUT',
          cookie,
          body: { rosterId: rosterEntry.id },
        });

      // 1. The student, on a phone: join, each question, its feedback, the end screen with the leaderboard.
      const phone = await context({ phone: true });
      const student = await open(phone, `${baseUrl}/join/${session.code}`);
      // The join page lists the payload roster names first; this student is not on it.
      await student.getByRole('button', { name: '名单上没有我' }).click();
      await student.getByRole('textbox', { name: '昵称' }).fill(BROWSER_NICK);
      await student.getByRole('button', { name: '加入', exact: true }).click();
      const questionTexts = [
        [single.stem.en, ...single.options.map((o) => o.text.en)],
        [text.stem.en],
        [matching.stem.en, ...matching.options.map((o) => o.text.en)],
      ];
      const feedbackTexts = [
        [single.explanation.en, single.source.quote],
        [text.explanation.en, text.source.quote],
        [matching.explanation.en, matching.source.quote],
      ];
      for (let n = 0; n < 3; n++) {
        // The stem tells which question this is (questions come in the quiz's order).
        await expectSafe(student, `student-question-${n + 1}`, questionTexts[n]!);
        // The single choice is sent on the tap; the others with the submit button.
        if (n === 0) await student.locator('pg-question button.choice').nth(3).click();
        if (n === 1) await student.getByRole('textbox', { name: '你的答案' }).fill(text.answer[0]!);
        if (n === 2)
          for (const [i, select] of (await student.getByRole('combobox').all()).entries())
            await select.selectOption({ index: i + 1 });
        if (n > 0) await student.getByRole('button', { name: '提交答案', exact: true }).click();
        await shows(student, 'heading', /回答正确|回答错误/);
        await expectSafe(student, `student-feedback-${n + 1}`, feedbackTexts[n]!);
        await student.getByRole('button', { name: n === 2 ? '查看成绩' : '下一题' }).click();
      }
      await shows(student, 'heading', '全部答完了！');
      await expectSafe(student, 'student-end', [BROWSER_NICK, ...NICKS]);

      // 2. The teacher's dashboard through the private link, and the signed-in screens.
      const teacherContext = await context({ cookie });
      const dashboard = await open(teacherContext, `${baseUrl}/teach/${session.id}#key=${session.teacherKey}`);
      await expectSafe(dashboard, 'teacher-dashboard', [BROWSER_NICK, ...NICKS]);
      const report = await open(teacherContext, `${baseUrl}/teach/${session.id}/report`);
      await expectSafe(report, 'teacher-report', [
        single.stem.en,
        NICKS[1]!,
        ...(rosterEntry ? [rosterEntry.name] : []),
      ]);
      const builder = await open(teacherContext, `${baseUrl}/teach/quizzes/${quiz.id}`);
      await expectSafe(builder, 'teacher-quiz-builder', [`Quiz ${P.img}`, single.stem.en]);
      const classPage = await open(teacherContext, `${baseUrl}/teach/classes/${cls.id}`);
      await expectSafe(classPage, 'teacher-class', [`Class ${P.img}`.slice(0, 80)]);
      const home = await open(teacherContext, `${baseUrl}/teach`);
      await expectSafe(home, 'teacher-home', [`Quiz ${P.img}`]);

      // 3. The live game: the projector, a phone through the join page, two more students over WebSockets.
      const projector = await open(teacherContext, `${baseUrl}/teach/${live.id}/live#key=${live.teacherKey}`);
      await projector.getByRole('button', { name: 'Switch to English' }).click();
      const sockets: LiveSocket[] = [];
      for (const nickname of NICKS.slice(0, 2)) {
        const { token } = await ok<Joined>(`/api/codes/${live.code}/participants`, { body: { nickname } }, 201);
        const answerEach = (msg: ServerMessage, _at: number, socket: LiveSocket) => {
          if (msg.type !== 'question') return;
          const key = asServed(single as unknown as Question, msg.question);
          socket.send({ type: 'answer', questionId: key.id, response: wrongResponse(key) });
        };
        sockets.push(await LiveSocket.open(baseUrl, { token }, { onMessage: answerEach }));
      }
      const livePhone = await open(await context({ phone: true }), `${baseUrl}/join/${live.code}`);
      await livePhone.getByRole('textbox', { name: '昵称' }).fill(LIVE_NICK);
      await livePhone.getByRole('button', { name: '加入', exact: true }).click();
      await livePhone.waitForURL(`**/live/${live.code}`);
      await shows(livePhone, 'heading', '你已加入！');
      await expectSafe(livePhone, 'live-student-lobby', [LIVE_NICK]);
      await shows(projector, 'heading', '3 students');
      await expectSafe(projector, 'projector-lobby', [LIVE_NICK, ...NICKS.slice(0, 2)]);
      await projector.getByRole('button', { name: 'Start the game' }).click();
      await expectSafe(projector, 'projector-question', [
        single.stem.en,
        single.options[0]!.text.en,
        single.options[1]!.text.en,
      ]);
      await expectSafe(livePhone, 'live-student-question', [single.stem.en, single.options[2]!.text.en]);
      await livePhone.locator('pg-question button.choice').first().click();
      // Everyone has answered: the reveal, with the explanation and the quote.
      // (The right tile's bar is marked "✓ Correct answer".)
      await expect
        .poll(() => projector.getByText('Correct answer').first().isVisible(), { timeout: 15_000 })
        .toBe(true);
      await expectSafe(projector, 'projector-reveal', [single.explanation.en, single.source.quote]);
      await shows(livePhone, 'heading', /回答正确|回答错误/);
      await expectSafe(livePhone, 'live-student-result', [single.explanation.en]);
      await projector.getByRole('button', { name: 'Show the final results' }).click();
      await shows(projector, 'list', 'Podium', 15_000);
      await expectSafe(projector, 'projector-podium', [LIVE_NICK, ...NICKS.slice(0, 2)]);
      await shows(livePhone, 'heading', '游戏结束！');
      await expectSafe(livePhone, 'live-student-final', []);
      for (const socket of sockets) socket.close();

      // 4. Payloads in the address: a session id, a join code, a live code.
      for (const path of [
        `/teach/${encodeURIComponent(P.svg)}`,
        `/join/${encodeURIComponent(P.img)}`,
        `/live/${encodeURIComponent(P.svg)}`,
        `/play/${encodeURIComponent(P.script)}`,
      ]) {
        const page = await open(teacherContext, `${baseUrl}${path}`);
        await page.waitForTimeout(1500);
        await expectSafe(page, `address-${path.split('/')[1]}`, []);
      }
    },
  );

  it('(control) the checks do see payloads rendered as HTML, inside the app’s shadow root', async () => {
    const page = await open(await context({ phone: true }), `${baseUrl}/`);
    await page.getByRole('textbox', { name: '昵称' }).waitFor();
    // What a rendering bug would do: the payloads set as HTML in the app's own view.
    const html = JSON.stringify([P.img, P.svg, P.link, P.iframe, P.style].join(' '));
    await page.evaluate(`(() => {
      const app = document.querySelector('pg-app');
      const main = (app && app.shadowRoot ? app.shadowRoot : document).querySelector('main') || document.body;
      main.insertAdjacentHTML('beforeend', ${html});
    })()`);
    await expect.poll(() => (incidents.get(page) ?? []).some((i) => i.startsWith('dialog'))).toBe(true);
    const { flag, found } = await page.evaluate<{ flag: string | null; found: string[] }>(INSPECT);
    expect(flag).not.toBeNull();
    expect(found).toEqual(
      expect.arrayContaining([
        'img[onerror]',
        'svg[onload]',
        'a[href=javascript:…]',
        '#pwnlink',
        'iframe',
        '#pwnframe',
        'injected <style>',
        '#pwnb',
      ]),
    );
  });

  it('the web app is served with a strict Content-Security-Policy, and the API only ever answers JSON', async () => {
    for (const path of ['/', '/join/ABC234', '/teach', '/teach/x/report', '/live/ABC234']) {
      const res = await fetch(`${baseUrl}${path}`);
      expect(res.headers.get('content-type'), path).toMatch(/^text\/html/);
      const csp = res.headers.get('content-security-policy') ?? '';
      const directives = new Map(
        csp
          .split(';')
          .map((d) => d.trim().split(/\s+/))
          .map(([k, ...v]) => [k!, v]),
      );
      const scripts = directives.get('script-src') ?? directives.get('default-src') ?? [];
      expect(scripts, `${path}: ${csp}`).toEqual(["'self'"]);
      expect(directives.get('object-src'), csp).toEqual(["'none'"]);
      expect(directives.get('base-uri'), csp).toEqual(["'self'"]);
      expect(directives.get('frame-ancestors'), csp).toEqual(["'none'"]);
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    }
    // An API error about a payload is JSON (nothing a browser would render), under a deny-all CSP.
    for (const path of [
      `/api/codes/${encodeURIComponent(P.img)}`,
      `/api/sessions/${encodeURIComponent(P.svg)}`,
      `/api/${encodeURIComponent(P.script)}`,
    ]) {
      const res = await fetch(`${baseUrl}${path}`);
      expect(res.status, path).toBeGreaterThanOrEqual(400);
      expect(res.headers.get('content-type'), path).toMatch(/^application\/json/);
      expect(res.headers.get('content-security-policy'), path).toContain("default-src 'none'");
      expect(res.headers.get('x-content-type-options'), path).toBe('nosniff');
    }
  });
});
