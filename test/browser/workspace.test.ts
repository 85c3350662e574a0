/**
 * A teacher's whole workspace in the browser: register, make a class, build a quiz of 5 questions
 * from the bank (search, add, reorder), open a session for the class; two students play; the
 * report shows the right figures and its CSV downloads parse (every answer, the student × question
 * grid, and the class grid in Chinese). Students of a class pick their names from its roster, one
 * device per name. Then create a quiz from a pasted text.
 */
import { readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  answerThroughUi,
  baseUrl,
  expectNoSidewaysScroll,
  launch,
  nextState,
  phone,
  registerTeacher,
  shot,
} from './browser';
import { readCsv } from '../read-csv';
import type { CreatedSession, PlayState, Question, SessionReport, TeacherView } from '../../worker/contract';

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

describe("the teacher's workspace", () => {
  it('builds a quiz for a class, runs it, and reports it with CSVs that parse', async () => {
    const page = await registerTeacher(browser, 'Ms Wang');

    // A class with a roster.
    await page.getByRole('link', { name: 'New class' }).click();
    await page.getByLabel('Class name').fill('初二(3)班');
    await page.getByLabel('Roster').fill('王芳\n李雷\n');
    await page.getByRole('button', { name: 'Create class' }).click();
    await expect.poll(() => page.getByRole('button', { name: 'Save class' }).isVisible()).toBe(true);
    const classPage = page.url();

    // A quiz of 5 bank questions: search, add, reorder, save.
    await page.getByRole('link', { name: 'My workspace' }).click();
    await page.getByRole('link', { name: 'New quiz' }).click();
    await page.getByLabel('Quiz title').fill('Week 1');
    await page.getByLabel('Filter by type').selectOption('single');
    await page.getByRole('searchbox', { name: 'Search questions' }).fill('内蒙古');
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    await expect.poll(() => page.getByRole('button', { name: 'Add to quiz' }).count()).toBeGreaterThanOrEqual(5);
    for (let i = 0; i < 5; i++) await page.getByRole('button', { name: 'Add to quiz' }).first().click();
    await expect.poll(() => page.getByRole('heading', { name: 'Questions in this quiz (5)' }).isVisible()).toBe(true);
    await page.getByRole('button', { name: 'Move question 2 up' }).click();
    const [saved] = await Promise.all([
      page.waitForResponse(
        (r) => /\/api\/quizzes(\/|$)/.test(new URL(r.url()).pathname) && ['POST', 'PUT'].includes(r.request().method()),
      ),
      page.getByRole('button', { name: 'Save quiz' }).click(),
    ]);
    expect(saved.ok()).toBe(true);
    await shot(page, 'workspace-quiz-builder');

    // Open a self-paced session for the class.
    await page.getByRole('button', { name: 'Open a session' }).click();
    await page.getByLabel('Session title').fill('Week 1, class 3');
    await page.getByLabel('Class', { exact: true }).selectOption({ label: '初二(3)班' });
    // Amy and Bo are not on the roster: they join with nicknames.
    await page.getByRole('checkbox', { name: 'Students not on the roster may join with a nickname' }).check();
    const [created] = await Promise.all([
      page.waitForResponse((r) => new URL(r.url()).pathname === '/api/sessions' && r.request().method() === 'POST'),
      page.getByRole('button', { name: 'Open session' }).click(),
    ]);
    const session = (await created.json()) as CreatedSession;
    expect(session.questionCount).toBe(5);

    // Two students play: Amy all right, Bo all wrong.
    const finals: Record<string, PlayState> = {};
    for (const [nickname, right] of [
      ['Amy', true],
      ['Bo', false],
    ] as const) {
      const student = await phone(browser);
      await student.goto(`${baseUrl}/join/${session.code}`);
      await student.getByRole('button', { name: '名单上没有我' }).click();
      await student.getByRole('textbox', { name: '昵称' }).fill(nickname);
      let st = await nextState(student, () => student.getByRole('button', { name: '加入', exact: true }).click());
      for (let n = 0; st.current; n++) {
        await answerThroughUi(student, st.current.question, right, 'zh', st.session.lang);
        await expect
          .poll(() => student.getByRole('heading', { name: right ? '回答正确' : '回答错误' }).isVisible())
          .toBe(true);
        st = await nextState(student, () =>
          student.getByRole('button', { name: n === 4 ? '查看成绩' : '下一题' }).click(),
        );
      }
      finals[nickname] = st;
      await student.context().close();
    }

    // The report: both students, the right scores, 50 % right on every question.
    await page.goto(`${baseUrl}/teach/${session.id}/report`);
    await expect
      .poll(() => page.getByRole('heading', { name: 'Report: Week 1, class 3' }).isVisible(), { timeout: 15_000 })
      .toBe(true);
    const students = page.getByRole('table', { name: 'Students' });
    await expect.poll(async () => (await students.innerText()).includes('Amy')).toBe(true);
    const text = await students.innerText();
    expect(text).toContain(String(finals.Amy!.me.score));
    expect(text).toMatch(/Bo[\s\S]*\b0\b/);
    await shot(page, 'workspace-report');

    // Amy's answers in words: each is the text of the right option she chose, never its id.
    const report = (await page.evaluate(
      (id) => fetch(`/api/sessions/${id}/report`).then((r) => r.json()),
      session.id,
    )) as SessionReport;
    await page.getByRole('button', { name: 'Answers of Amy' }).click();
    const given = await students.locator('ol.answers > li').allInnerTexts();
    expect(given).toHaveLength(5);
    expect(given.map((li) => li.replace(/^[\s\S]*answer: /, '').trim())).toEqual(
      report.questions.map((q) => q.distribution!.options.find((o) => o.correct)!.text.en),
    );

    /** The CSV a link downloads, read back from the file. */
    const downloaded = async (link: string) => {
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.getByRole('link', { name: link }).click(),
      ]);
      return readCsv(readFileSync((await download.path())!, 'utf8'));
    };
    const zone = await page.evaluate(() => Intl.DateTimeFormat().resolvedOptions().timeZone);
    const [header, ...rows] = await downloaded('Answers (CSV)');
    expect(header!.slice(0, 4)).toEqual(['rank', 'nickname', 'roster name', 'total score']);
    expect(header!.at(-1)).toBe(`answered at (${zone})`);
    // One row per answer: 5 for each student.
    expect(rows).toHaveLength(10);
    expect(rows.filter((r) => r[0] === '1' && r[1] === 'Amy')).toHaveLength(5);
    expect(rows.filter((r) => r[1] === 'Bo').every((r) => r[8] === 'no' && r[9] === '0')).toBe(true);

    const [gridHeader, ...grid] = await downloaded('Student × question grid (CSV)');
    expect(gridHeader).toHaveLength(2 + 5 + 3);
    expect(gridHeader![2]).toMatch(/^Q1 /);
    expect(grid.map((r) => [r[0], ...r.slice(-3)])).toEqual([
      ['Amy', String(finals.Amy!.me.score), '5', '5'],
      ['Bo', '0', '0', '5'],
    ]);

    // The class grid, in the interface language: percent right per session, the roster names first.
    await page.goto(classPage);
    await page.getByRole('button', { name: '切换到中文' }).click();
    const [classHeader, ...classRows] = await downloaded('班级成绩表（CSV）');
    expect(classHeader).toEqual([
      '花名册姓名',
      '昵称',
      expect.stringMatching(/^\d{4}-\d\d-\d\d Week 1, class 3（正确率 %）$/),
    ]);
    expect(classRows).toEqual([
      ['李雷', '', ''],
      ['王芳', '', ''],
      ['', 'Amy', '100'],
      ['', 'Bo', '0'],
    ]);
    await page.context().close();
  });

  it('lets students pick their names from the class roster, in Chinese and in English, one device per name', async () => {
    const page = await registerTeacher(browser, 'Ms Wang');
    // The class and its session, through the API with the teacher's cookie.
    const { cls, session } = (await page.evaluate(async () => {
      const post = (path: string, body: unknown) =>
        fetch(path, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
      const cls = (await (
        await post('/api/classes', { name: '初二(3)班', roster: ['王芳', '李雷', '张伟'] })
      ).json()) as {
        id: string;
      };
      const session = await (await post('/api/sessions', { title: '第一课', classId: cls.id, count: 3 })).json();
      return { cls, session };
    })) as { cls: { id: string }; session: CreatedSession };

    // The first student, in Chinese: searches, picks 王芳, joins as 王芳.
    const first = await phone(browser);
    await first.goto(`${baseUrl}/join/${session.code}`);
    await expect.poll(() => first.getByRole('group', { name: '找到你的名字' }).isVisible()).toBe(true);
    expect(await first.getByRole('textbox', { name: '昵称' }).count()).toBe(0);
    await first.getByRole('searchbox', { name: '在班级名单里搜索' }).fill('王');
    await expect.poll(() => first.getByRole('radio').count()).toBe(1);
    await first.getByRole('radio', { name: '王芳' }).check();
    await shot(first, 'roster-pick-zh');
    expect(await expectNoSidewaysScroll(first)).toBe(true);
    const st = await nextState(first, () => first.getByRole('button', { name: '以“王芳”加入' }).click());
    expect(st.me.nickname).toBe('王芳');
    await first.context().close();

    // The second student, in English, by keyboard: 王芳 is taken (in words), not on the list is no way in.
    const second = await phone(browser);
    await second.goto(`${baseUrl}/join/${session.code}`);
    await second.getByRole('button', { name: 'Switch to English' }).click();
    await expect.poll(() => second.getByRole('group', { name: 'Find your name' }).isVisible()).toBe(true);
    const taken = second.getByRole('radio', { name: '王芳 taken' });
    expect(await taken.isDisabled()).toBe(true);
    expect(await second.getByRole('radio', { name: '李雷', exact: true }).isDisabled()).toBe(false);
    expect(await second.getByText('Not on the list? Ask your teacher.').isVisible()).toBe(true);
    expect(await second.getByRole('button', { name: "I'm not on the list" }).count()).toBe(0);
    await shot(second, 'roster-taken-en');
    expect(await expectNoSidewaysScroll(second)).toBe(true);
    await second.getByRole('searchbox', { name: 'Search the class list' }).fill('李');
    await second.keyboard.press('Tab');
    await second.keyboard.press('Space');
    expect(await second.getByRole('radio', { name: '李雷' }).isChecked()).toBe(true);
    const st2 = await nextState(second, () => second.getByRole('button', { name: 'Join as 李雷' }).click());
    expect(st2.me.nickname).toBe('李雷');
    await second.context().close();

    // The teacher's dashboard: who joined, who is still answering, who is not here.
    await page.goto(`${baseUrl}/teach/${session.id}`);
    await expect
      .poll(() => page.getByText('Joined 2 · Still answering 2 · Not here 1').isVisible(), { timeout: 15_000 })
      .toBe(true);
    expect(await page.getByText('Not here: 张伟').isVisible()).toBe(true);
    const view = (await page.evaluate(
      (id) => fetch(`/api/sessions/${id}`).then((r) => r.json()),
      session.id,
    )) as TeacherView;
    expect(view.participants.map((p) => p.nickname)).toEqual(['王芳', '李雷']);
    await shot(page, 'roster-dashboard');

    // The class report: each roster name once, 张伟 absent (in words) from the session.
    await page.goto(`${baseUrl}/teach/classes/${cls.id}`);
    const grid = page.getByRole('table', { name: 'Session by session' });
    await expect.poll(() => grid.isVisible(), { timeout: 15_000 }).toBe(true);
    const rows = await grid.getByRole('row').allInnerTexts();
    expect(
      rows
        .slice(1)
        .map((r) => r.replace(/\s+/g, ' ').trim())
        .sort(),
    ).toEqual(['张伟 absent', '李雷 0', '王芳 0']);
    await shot(page, 'roster-class-report');
    await page.context().close();
  });

  it('creates a quiz from a pasted text, and a student plays it', async () => {
    const page = await registerTeacher(browser, 'Ms Wang');
    await page.getByRole('link', { name: 'Create from text' }).click();
    await page
      .getByLabel('Your text')
      .fill(
        '# 校运动会\n\n2024年10月15日，我校举行第12届秋季运动会，共有1200名学生参加，比赛项目32个。\n\n“阳光体育”活动已连续开展5年，学生体质达标率达到95%以上。',
      );
    await page.getByRole('button', { name: 'Make drafts' }).click();
    await expect
      .poll(() => page.getByRole('radio', { name: 'Accept Draft 1', exact: true }).isVisible(), { timeout: 15_000 })
      .toBe(true);
    await page.getByRole('radio', { name: 'Accept Draft 1', exact: true }).check();
    await page.getByRole('radio', { name: 'Accept Draft 2', exact: true }).check();
    await page.getByLabel('Quiz title').fill('运动会');
    const [saved] = await Promise.all([
      page.waitForResponse((r) => new URL(r.url()).pathname === '/api/generate/accept'),
      page.getByRole('button', { name: 'Save 2 accepted as a quiz' }).click(),
    ]);
    expect(saved.status()).toBe(201);
    const { quizId } = (await saved.json()) as { quizId: string };
    await expect
      .poll(() => page.getByRole('heading', { name: 'Questions in this quiz (2)' }).isVisible(), { timeout: 15_000 })
      .toBe(true);
    await shot(page, 'workspace-from-text');

    // The answer keys of the saved drafts, as the teacher sees them.
    const quiz = (await (await page.request.get(`${baseUrl}/api/quizzes/${quizId}`)).json()) as {
      questions: { id: string; question: Question }[];
    };
    const keys = quiz.questions.map((q) => q.question);
    await page.getByRole('button', { name: 'Open a session' }).click();
    await page.getByLabel('Session title').fill('运动会 quiz');
    const [created] = await Promise.all([
      page.waitForResponse((r) => new URL(r.url()).pathname === '/api/sessions' && r.request().method() === 'POST'),
      page.getByRole('button', { name: 'Open session' }).click(),
    ]);
    const session = (await created.json()) as CreatedSession;

    const student = await phone(browser);
    await student.goto(`${baseUrl}/join/${session.code}`);
    await student.getByRole('textbox', { name: '昵称' }).fill('Kid');
    let st = await nextState(student, () => student.getByRole('button', { name: '加入', exact: true }).click());
    for (let n = 0; st.current; n++) {
      await answerThroughUi(
        student,
        st.current.question,
        true,
        'zh',
        st.session.lang,
        keys.find((k) => k.stem.zh === st.current!.question.stem.zh && k.stem.en === st.current!.question.stem.en),
      );
      await expect.poll(() => student.getByRole('heading', { name: '回答正确' }).isVisible()).toBe(true);
      // The cited sentence is the pasted text's.
      await expect.poll(() => student.getByRole('heading', { name: '原文出处' }).isVisible()).toBe(true);
      st = await nextState(student, () =>
        student.getByRole('button', { name: n === 1 ? '查看成绩' : '下一题' }).click(),
      );
    }
    expect(st.me).toMatchObject({ answered: 2, finished: true });
    expect(st.me.score).toBeGreaterThanOrEqual(1000);
    await student.context().close();
    await page.context().close();
  });
});
