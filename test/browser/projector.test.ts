/**
 * The projector as a game screen, measured in real Chromium at 1920×1080 and at 1024×768 (a
 * classroom projector): type sizes read off the page with getComputedStyle, the game filling the
 * viewport's height, nothing scrolling even with the longest question of the bank (in both
 * languages), answer tiles with a shape and a letter that match the phones', the join corner
 * during questions, the sound off by default, a podium of at most five names and no full ranking,
 * and an axe-core scan of every screen (no serious or critical violation). Screenshots of each
 * screen at both sizes go to test-results/screenshots.
 *
 * Everything goes through the public HTTP API (registering, a quiz, its live session) and the UI.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rawBank } from '../../db/bank';
import { axe, baseUrl, launch, phone, shot } from './browser';
import type { CreatedSession, Question } from '../../worker/contract';

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

const BIG = { width: 1920, height: 1080 };
const SMALL = { width: 1024, height: 768 };
type Size = typeof BIG;

/** The minimums, in px, per viewport. */
const MIN = {
  big: { question: 56, option: 44, timer: 64, any: 24 },
  small: { question: 36, option: 28, timer: 44, any: 18 },
};

/** A question's length as the projector shows it in both languages (a Chinese character 1, a Latin letter ½). */
const shown = (t: { zh: string; en: string }) => [...t.zh].length + (t.en !== t.zh ? [...t.en].length / 2 : 0);
const weight = (q: Question) => shown(q.stem) + ('options' in q ? q.options.reduce((n, o) => n + shown(o.text), 0) : 0);

const bank = rawBank as Question[];
/** The longest choice question of the bank, and a short one. */
const choice = bank.filter((q) => q.type === 'single' || q.type === 'multi');
const longest = choice.reduce((a, b) => (weight(b) > weight(a) ? b : a));
const short = choice.filter((q) => q.type === 'single').reduce((a, b) => (weight(b) < weight(a) ? b : a));

/**
 * Runs in the page (a string: this Node-side file has no DOM types). Walks every shadow root of
 * the projector and returns the font sizes of the visible text, what scrolls, and the boxes the
 * assertions need.
 */
const MEASURE = `(() => {
  const app = document.querySelector('pg-app').shadowRoot;
  const host = app.querySelector('pg-live-host');
  const roots = [];
  const collect = (root) => { roots.push(root); for (const el of root.querySelectorAll('*')) if (el.shadowRoot) collect(el.shadowRoot); };
  collect(host.shadowRoot);
  const find = (sel) => { for (const r of roots) { const el = r.querySelector(sel); if (el) return el; } return null; };
  const findAll = (sel) => roots.flatMap((r) => [...r.querySelectorAll(sel)]);
  const size = (el) => (el ? parseFloat(getComputedStyle(el).fontSize) : 0);
  const srOnly = (el) => {
    for (let n = el; n; n = n.parentElement || (n.getRootNode() instanceof ShadowRoot ? n.getRootNode().host : null))
      if (n.classList && n.classList.contains('sr-only')) return true;
    return false;
  };
  const texts = [];
  for (const root of roots) {
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let t = walker.nextNode(); t; t = walker.nextNode()) {
      const el = t.parentElement;
      if (!el || !t.data.trim() || ['STYLE', 'SCRIPT'].includes(el.tagName)) continue;
      if (!el.checkVisibility({ visibilityProperty: true, opacityProperty: true }) || srOnly(el)) continue;
      const range = document.createRange();
      range.selectNodeContents(t);
      const box = range.getBoundingClientRect();
      if (box.width < 2 || box.height < 2) continue;
      texts.push({ text: t.data.trim().slice(0, 40), px: size(el), bottom: box.bottom, right: box.right });
    }
  }
  const scrolls = [];
  for (const root of roots)
    for (const el of root.querySelectorAll('*')) {
      const o = getComputedStyle(el).overflowY;
      if (['auto', 'scroll', 'hidden'].includes(o) && el.scrollHeight > el.clientHeight + 1 && !srOnly(el))
        scrolls.push(el.tagName.toLowerCase() + '.' + el.className + ' ' + el.scrollHeight + '>' + el.clientHeight);
    }
  const page = document.scrollingElement;
  if (page.scrollHeight > innerHeight + 1) scrolls.push('page ' + page.scrollHeight + '>' + innerHeight);
  if (page.scrollWidth > innerWidth + 1) scrolls.push('page width ' + page.scrollWidth + '>' + innerWidth);
  const smallest = texts.reduce((a, b) => (b.px < a.px ? b : a), { px: Infinity, text: '' });
  const rect = (el) => (el ? el.getBoundingClientRect() : null);
  const tiles = findAll('.tiles .tile');
  return {
    innerHeight,
    smallest,
    outside: texts.filter((t) => t.bottom > innerHeight + 1 || t.right > innerWidth + 1).map((t) => t.text),
    scrolls,
    question: size(find('.stem span')),
    option: size(find('.tile span[lang]') || find('.tile > span:last-child')),
    timer: size(find('pg-live-clock')?.shadowRoot.querySelector('.n')),
    revealStem: size(find('pg-live-reveal')?.shadowRoot.querySelector('.stem span')),
    revealOption: size(find('pg-live-reveal')?.shadowRoot.querySelector('.bars li span[lang]')),
    game: rect(find('.game'))?.height ?? 0,
    tilesBottom: Math.max(0, ...tiles.map((t) => t.getBoundingClientRect().bottom)),
    tiles: tiles.map((t) => ({
      shapes: t.querySelectorAll('svg.tile-shape').length,
      shapeHidden: t.querySelector('svg.tile-shape')?.getAttribute('aria-hidden'),
      letter: t.querySelector('.mark')?.textContent.trim(),
      text: t.querySelector('span[lang]')?.textContent.trim(),
      background: getComputedStyle(t).backgroundColor,
    })),
  };
})()`;

interface Measured {
  innerHeight: number;
  smallest: { px: number; text: string };
  outside: string[];
  scrolls: string[];
  question: number;
  option: number;
  timer: number;
  revealStem: number;
  revealOption: number;
  game: number;
  tilesBottom: number;
  tiles: { shapes: number; shapeHidden: string | null; letter: string; text: string; background: string }[];
}

const measure = (page: Page) => page.evaluate<Measured>(MEASURE);

/** Resizes the projector and waits for the layout to settle (two frames). */
async function resize(page: Page, size: Size): Promise<void> {
  await page.setViewportSize(size);
  await page.evaluate('new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))');
}

/** At both sizes: screenshot, axe, and the checks that hold on every projector screen. */
async function everyScreen(page: Page, name: string): Promise<Record<'big' | 'small', Measured>> {
  const out = {} as Record<'big' | 'small', Measured>;
  for (const [key, size] of [
    ['big', BIG],
    ['small', SMALL],
  ] as const) {
    await resize(page, size);
    const m = await measure(page);
    out[key] = m;
    await shot(page, `projector-${name}-${size.width}x${size.height}`);
    expect(m.smallest.px, `${name} ${key}: smallest text "${m.smallest.text}"`).toBeGreaterThanOrEqual(MIN[key].any);
    expect(m.game, `${name} ${key}: the game fills the viewport's height`).toBeGreaterThanOrEqual(0.9 * m.innerHeight);
    expect(await axe(page), `${name} ${key}: axe`).toEqual([]);
  }
  return out;
}

const shows = (page: Page, role: Parameters<Page['getByRole']>[0], name: string | RegExp, timeout = 10_000) =>
  expect.poll(() => page.getByRole(role, { name }).first().isVisible(), { timeout }).toBe(true);

describe('the projector', () => {
  it('is a game screen readable from the back row, at 1920×1080 and at 1024×768', async () => {
    // A teacher's quiz of a short question and the bank's longest, in both languages, options in order.
    // (CSP bypassed only so that axe-core can be added as a script tag: the app allows no inline script.)
    const context = await browser.newContext({ viewport: BIG, bypassCSP: true });
    const api = context.request;
    const registered = await api.post(`${baseUrl}/api/auth/register`, {
      data: { email: `projector-${Date.now()}@school.example`, name: 'Ms Li', password: 'correct horse battery' },
    });
    expect(registered.status()).toBe(201);
    const quiz = await api.post(`${baseUrl}/api/quizzes`, {
      data: {
        title: 'Projector',
        settings: { lang: 'both', timeLimitSec: 90, shuffleOptions: false },
        questionIds: [short.id, longest.id],
      },
    });
    expect(quiz.status()).toBe(201);
    const { id: quizId } = (await quiz.json()) as { id: string };
    const created = await api.post(`${baseUrl}/api/sessions`, {
      data: { title: '民族团结 · Unity', mode: 'live', quizId },
    });
    expect(created.status()).toBe(201);
    const session = (await created.json()) as CreatedSession;

    const projector = await context.newPage();
    const errors: Error[] = [];
    projector.on('pageerror', (err) => errors.push(err));
    await projector.goto(`${baseUrl}/teach/${session.id}/live#key=${session.teacherKey}`);
    await projector.getByRole('button', { name: 'Switch to English' }).click();
    await shows(projector, 'heading', '0 students');

    // The sound is off until the teacher turns it on; the choice is remembered on the device.
    const sound = projector.getByRole('button', { name: 'Sound' });
    expect(await sound.getAttribute('aria-pressed')).toBe('false');
    await sound.click();
    expect(await sound.getAttribute('aria-pressed')).toBe('true');
    expect(await projector.evaluate<string | null>(`localStorage.getItem('pomegranate:projector-sound')`)).toBe('on');
    await projector.keyboard.press('m');
    expect(await sound.getAttribute('aria-pressed')).toBe('false');

    // Six students join on their phones.
    const names = ['Amy', 'Ben', 'Cat', 'Dan', 'Eve', 'Fay'];
    const phones: Page[] = [];
    for (const name of names) {
      const page = await phone(browser);
      await page.goto(`${baseUrl}/join/${session.code}`);
      await page.getByRole('textbox', { name: '昵称' }).fill(name);
      await page.getByRole('button', { name: '加入', exact: true }).click();
      await shows(page, 'heading', '你已加入！');
      phones.push(page);
    }
    await shows(projector, 'heading', '6 students');
    await everyScreen(projector, 'lobby');

    // The first question: sizes, tiles, the join corner, the countdown.
    await projector.getByRole('button', { name: 'Start the game' }).click();
    await shows(projector, 'progressbar', 'Time left');
    await shows(projector, 'group', 'Join a quiz');
    const q1 = await everyScreen(projector, 'question');
    for (const key of ['big', 'small'] as const) {
      const m = q1[key];
      expect(m.question, `question text ${key}`).toBeGreaterThanOrEqual(MIN[key].question);
      expect(m.option, `option text ${key}`).toBeGreaterThanOrEqual(MIN[key].option);
      expect(m.timer, `timer ${key}`).toBeGreaterThanOrEqual(MIN[key].timer);
      expect(m.scrolls, `nothing scrolls ${key}`).toEqual([]);
      expect(m.outside, `all text on screen ${key}`).toEqual([]);
      // The tiles fill the screen below the question, down to the control strip.
      expect(m.tilesBottom).toBeGreaterThanOrEqual(0.8 * m.innerHeight);
    }
    const tiles = q1.big.tiles;
    expect(tiles.length).toBe(short.type === 'single' ? short.options.length : 0);
    expect(tiles.map((t) => t.letter)).toEqual(['A', 'B', 'C', 'D', 'E', 'F'].slice(0, tiles.length));
    for (const t of tiles) {
      expect(t.shapes).toBe(1);
      expect(t.shapeHidden).toBe('true');
    }
    // The corner: the code and a QR code, also while a question is open.
    const joinUrl = `${baseUrl}/join/${session.code}`;
    await shows(projector, 'img', `Scan to join: QR code of ${joinUrl}`);
    expect(await projector.getByText(session.code, { exact: true }).first().isVisible()).toBe(true);
    console.log(`question screen (px): ${JSON.stringify({ big: pick(q1.big), small: pick(q1.small) })}`);

    // The phones show the same tiles: the same letter, shape and colour for the same (unshuffled) option.
    const phoneTiles = await phones[0]!.evaluate<{ name: string; text: string; shapes: number; background: string }[]>(
      `(() => {
        const q = document.querySelector('pg-app').shadowRoot.querySelector('pg-live-play').shadowRoot
          .querySelector('pg-question').shadowRoot;
        return [...q.querySelectorAll('button.choice')].map((b) => ({
          name: b.querySelector('.tile-letter')?.textContent.trim(),
          text: b.querySelector('span[lang]')?.textContent.trim(),
          shapes: b.querySelectorAll('svg[aria-hidden="true"]').length,
          background: getComputedStyle(b.querySelector('.tile-badge')).backgroundColor,
        }));
      })()`,
    );
    expect(phoneTiles.map((t) => t.name)).toEqual(tiles.map((t) => t.letter));
    expect(phoneTiles.map((t) => t.background)).toEqual(tiles.map((t) => t.background));
    for (const t of phoneTiles) expect(t.shapes).toBe(1);
    // The letter is in the button's accessible name.
    await shows(phones[0]!, 'button', /^A\b/);
    await shot(phones[0]!, 'projector-phone-question');

    // H hides the teacher's strip and shows it again.
    await projector.keyboard.press('h');
    await expect.poll(() => projector.getByRole('group', { name: 'Game controls' }).isVisible()).toBe(false);
    await projector.keyboard.press('h');
    await shows(projector, 'group', 'Game controls');

    // Everyone answers (each a tile of their own): the reveal follows at once.
    for (const [i, page] of phones.entries()) {
      const letter = String.fromCharCode(65 + (i % tiles.length));
      await page.getByRole('button', { name: new RegExp(`^${letter}\\b`) }).click();
      // (The last answer closes the question at once: that phone goes straight to the reveal.)
      if (i < phones.length - 1) await shows(page, 'heading', '答案已收到');
    }
    await shows(projector, 'heading', 'How the class answered');
    expect(await projector.getByText('Correct answer').first().isVisible()).toBe(true);
    const reveal = await everyScreen(projector, 'reveal');
    for (const key of ['big', 'small'] as const) {
      // Never in smaller print than the question screen.
      expect(reveal[key].smallest.px).toBeGreaterThanOrEqual(q1[key].smallest.px);
      expect(reveal[key].revealStem).toBeGreaterThanOrEqual(MIN[key].option);
      expect(reveal[key].revealOption).toBeGreaterThanOrEqual(MIN[key].option);
      expect(reveal[key].scrolls, `the reveal fits ${key}`).toEqual([]);
    }
    console.log(`reveal (px): ${JSON.stringify({ big: pick(reveal.big), small: pick(reveal.small) })}`);

    // The top 5.
    await projector.keyboard.press('Space');
    await shows(projector, 'table', 'Top 5');
    const board = await everyScreen(projector, 'leaderboard');
    for (const key of ['big', 'small'] as const) expect(board[key].scrolls).toEqual([]);

    // The longest question of the bank, in both languages: still no scrolling at 1024×768.
    await projector.getByRole('button', { name: 'Next question' }).click();
    await shows(projector, 'heading', new RegExp(longest.stem.zh.slice(0, 10)));
    const q2 = await everyScreen(projector, 'question-longest');
    for (const key of ['big', 'small'] as const) {
      const m = q2[key];
      expect(m.question, `longest: question text ${key}`).toBeGreaterThanOrEqual(MIN[key].question);
      expect(m.option, `longest: option text ${key}`).toBeGreaterThanOrEqual(MIN[key].option);
      expect(m.timer, `longest: timer ${key}`).toBeGreaterThanOrEqual(MIN[key].timer);
      expect(m.scrolls, `longest: nothing scrolls ${key}`).toEqual([]);
      expect(m.outside, `longest: all text on screen ${key}`).toEqual([]);
    }
    console.log(`longest question (px): ${JSON.stringify({ big: pick(q2.big), small: pick(q2.small) })}`);
    await projector.keyboard.press('r');
    await shows(projector, 'heading', 'How the class answered');
    const revealLongest = await everyScreen(projector, 'reveal-longest');
    for (const key of ['big', 'small'] as const) {
      // The bank's longest proof (explanation and quote, each in two languages) may scroll in its
      // own column; nothing else does.
      const scrolls = revealLongest[key].scrolls;
      console.log(`longest reveal ${key}: ${JSON.stringify(scrolls)}; ${JSON.stringify(pick(revealLongest[key]))}`);
      expect(scrolls.filter((s) => !s.startsWith('section.why'))).toEqual([]);
    }

    // The podium: at most five names, and no full ranking on the class's screen.
    await projector.getByRole('button', { name: 'Show the final results' }).click();
    await shows(projector, 'list', 'Podium');
    const final = await everyScreen(projector, 'podium');
    for (const key of ['big', 'small'] as const) expect(final[key].scrolls).toEqual([]);
    const places = [
      ...(await projector.getByRole('list', { name: 'Podium' }).getByRole('listitem').allInnerTexts()),
      ...(await projector.getByRole('list', { name: 'Also in the top 5' }).getByRole('listitem').allInnerTexts()),
    ];
    // Three on the steps, and the fourth and fifth beneath once the server sends PODIUM_SIZE (5) rows.
    expect(places.length).toBeGreaterThanOrEqual(3);
    expect(places.length).toBeLessThanOrEqual(5);
    expect(names.filter((n) => places.some((p) => p.includes(n))).length).toBe(places.length);
    expect(await projector.getByRole('table').count()).toBe(0);
    expect(await projector.getByRole('link', { name: 'Results and report' }).isVisible()).toBe(true);

    expect(errors).toEqual([]);
    for (const page of phones) await page.context().close();
    await context.close();
    // (Two viewports, five screens, an axe scan of each and six phones: longer than one game.)
  }, 240_000);
});

/** The figures worth printing. */
function pick(m: Measured) {
  return {
    question: m.question,
    option: m.option,
    timer: m.timer,
    revealStem: m.revealStem,
    revealOption: m.revealOption,
    smallest: m.smallest,
  };
}
