/**
 * Interface language: a typed dictionary (Chinese first, English alongside), a controller that
 * re-renders its host when the language changes, and {@link t} to pick one side of a `Localized`.
 * The choice is remembered on the device and reflected in `<html lang>` for screen readers.
 */
import { html, nothing, type ReactiveController, type ReactiveControllerHost, type TemplateResult } from 'lit';
import type { SessionLang } from '../../../worker/api-types';
import type { Localized, QuestionType } from '../../../worker/questions/schema';

/** An interface language; `Localized` texts have the same two keys. */
export type Lang = keyof Localized;

const en = {
  htmlLang: 'en',
  /** The toggle names the language it switches to, in that language. */
  toggleText: '中文',
  toggleLabel: '切换到中文',
  toggleLang: 'zh-CN',

  loading: 'Loading…',
  retry: 'Try again',
  notFoundTitle: 'Page not found',
  notFoundText: 'There is nothing at this address.',
  goHome: 'Go to the start page',
  teacherLink: "I'm a teacher →",
  playTitle: 'Quiz',
  dashboardTitle: 'Teacher view',

  joinTitle: 'Join a quiz',
  joinIntro: 'Type the code your teacher shows and pick a nickname.',
  codeLabel: 'Join code',
  codeHint: '6 letters or digits, from your teacher',
  nicknameLabel: 'Nickname',
  nicknameHint: '1–20 characters. Everyone in the class sees it.',
  joinButton: 'Join',
  codeInvalid: 'A join code has 6 letters or digits.',
  nicknameEmpty: 'Type a nickname.',
  nicknameTooLong: 'A nickname has at most 20 characters.',
  alreadyJoined: (name: string) => `You already joined this quiz on this device as ${name}.`,
  continueAs: (name: string) => `Continue as ${name}`,
  orNewNickname: 'Or join again with another nickname below.',
  quizInfo: (title: string, n: number, sec: number) =>
    `${title} · ${n} questions · ${sec ? `${sec} s each` : 'no time limit'}`,
  quizClosed: 'This quiz has ended. Ask your teacher for a new code.',
  quizLocked: 'The teacher has locked this quiz: no one new can join right now.',
  opensAt: (time: string) => `This quiz opens at ${time}.`,

  playingAs: (name: string) => `Playing as ${name}`,
  progress: (n: number, total: number) => `Question ${n} / ${total}`,
  score: (n: number) => `Score: ${n}`,
  nextQuestion: 'Next question',
  seeResults: 'See results',
  finishedTitle: 'All done!',
  finalScore: (n: number) => `Your score: ${n}`,
  yourRank: (rank: number, total: number) => `You are number ${rank} of ${total}.`,
  closedTitle: 'This quiz has ended',
  closedText: 'Your teacher has closed this quiz; no more answers are taken.',
  notStartedTitle: 'Not started yet',
  checkAgain: 'Check again',
  answerSaved: 'Answer saved',
  saving: 'Saving your answer…',
  savingRetry: (n: number) => `Connection trouble: trying again (${n})…`,
  answerSavedText: 'You will see how you did once you have answered every question.',
  yourAnswers: 'Your answers',
  questionN: (n: number) => `Question ${n}`,
  untimed: 'No time limit',
  leaderboard: 'Leaderboard',
  leaderboardHidden: 'Your teacher has hidden the leaderboard.',
  refreshLeaderboard: 'Refresh leaderboard',
  joinAgain: 'Join again',

  hints: {
    single: 'Choose one answer.',
    multi: 'Select all that apply.',
    truefalse: 'Is this true or false?',
    numeric: 'Type a number.',
    text: 'Type your answer.',
    ordering: 'Put the items in the right order with the move up and move down buttons.',
    matching: 'For each item, choose the one that matches it.',
  } satisfies Record<QuestionType, string>,
  trueLabel: 'True',
  falseLabel: 'False',
  answerLabel: 'Your answer',
  unit: (unit: string) => `Unit: ${unit}`,
  numericInvalid: 'Type a number, for example 31.09.',
  moveUp: (item: string) => `Move '${item}' up`,
  moveDown: (item: string) => `Move '${item}' down`,
  movedTo: (item: string, pos: number, total: number) => `'${item}' is now at position ${pos} of ${total}.`,
  positionOf: (pos: number, total: number) => `Position ${pos} of ${total}`,
  choose: 'Choose…',
  submitAnswer: 'Submit answer',

  timeLeft: 'Time left',
  secondsLeft: (n: number) => `${n} seconds left`,
  secondsShort: (n: number) => `${n} s`,
  hurry: 'Hurry!',
  timeUp: "Time's up",

  correct: 'Correct',
  incorrect: 'Incorrect',
  /** The verdict as a sentence for screen readers. */
  verdictLine: (verdict: string, points: string) => `${verdict}. ${points}.`,
  noAnswer: 'Time ran out',
  points: (n: number) => `+${n} points`,
  late: 'Late: answered after the time limit, so no points.',
  answeredIn: (sec: string) => `Answered in ${sec} s`,
  youAnswered: 'You answered',
  nothing: 'No answer',
  correctAnswer: 'Correct answer',
  tolerance: (n: number) => `(anything within ± ${n} counts)`,
  explanation: 'Explanation',
  source: 'From the article',

  colRank: 'Rank',
  colNickname: 'Nickname',
  colScore: 'Score',
  colCorrect: 'Correct',
  you: '(you)',
  noEntries: 'No one has joined yet.',

  newTitle: 'New quiz session',
  titleMissing: 'Give the session a title.',

  network: 'Cannot reach the server. Check your connection and try again.',
  unexpected: 'Something went wrong. Please try again.',
  loadFailed: 'This page could not be loaded. Check your connection and reload.',
};

/** The same keys as {@link en}: the compiler rejects a missing or extra translation. */
const zh: typeof en = {
  htmlLang: 'zh-CN',
  toggleText: 'EN',
  toggleLabel: 'Switch to English',
  toggleLang: 'en',

  loading: '加载中…',
  retry: '重试',
  notFoundTitle: '找不到页面',
  notFoundText: '这个网址没有内容。',
  goHome: '回到首页',
  teacherLink: '我是老师 →',
  playTitle: '答题',
  dashboardTitle: '教师视图',

  joinTitle: '加入测验',
  joinIntro: '输入老师给的加入码，再起一个昵称。',
  codeLabel: '加入码',
  codeHint: '老师给的 6 位字母或数字',
  nicknameLabel: '昵称',
  nicknameHint: '1–20 个字，全班同学都能看到。',
  joinButton: '加入',
  codeInvalid: '加入码是 6 位字母或数字。',
  nicknameEmpty: '请输入昵称。',
  nicknameTooLong: '昵称最多 20 个字。',
  alreadyJoined: (name) => `你已经在这台设备上以“${name}”加入了这个测验。`,
  continueAs: (name) => `以“${name}”继续`,
  orNewNickname: '也可以在下面换一个昵称重新加入。',
  quizInfo: (title, n, sec) => `${title} · 共 ${n} 题 · ${sec ? `每题 ${sec} 秒` : '不限时'}`,
  quizClosed: '这个测验已经结束，请向老师要新的加入码。',
  quizLocked: '老师已锁定这个测验，暂时不能加入。',
  opensAt: (time) => `测验将于 ${time} 开始。`,

  playingAs: (name) => `昵称：${name}`,
  progress: (n, total) => `第 ${n} / ${total} 题`,
  score: (n) => `得分：${n}`,
  nextQuestion: '下一题',
  seeResults: '查看成绩',
  finishedTitle: '全部答完了！',
  finalScore: (n) => `你的得分：${n}`,
  yourRank: (rank, total) => `你是第 ${rank} 名（共 ${total} 人）。`,
  closedTitle: '测验已结束',
  closedText: '老师已经结束了这个测验，不能再作答。',
  notStartedTitle: '测验还没开始',
  checkAgain: '刷新',
  answerSaved: '答案已提交',
  saving: '正在保存答案…',
  savingRetry: (n: number) => `网络不稳，正在重试（第 ${n} 次）…`,
  answerSavedText: '答完全部题目后，就能看到对错和解析。',
  yourAnswers: '你的作答',
  questionN: (n) => `第 ${n} 题`,
  untimed: '不限时',
  leaderboard: '排行榜',
  leaderboardHidden: '老师隐藏了排行榜。',
  refreshLeaderboard: '刷新排行榜',
  joinAgain: '重新加入',

  hints: {
    single: '选择一个答案。',
    multi: '选出所有正确的选项（多选）。',
    truefalse: '判断这句话是对还是错。',
    numeric: '填写一个数字。',
    text: '填写你的答案。',
    ordering: '用“上移”“下移”按钮把各项排成正确的顺序。',
    matching: '为每一项选出与它对应的答案。',
  },
  trueLabel: '对',
  falseLabel: '错',
  answerLabel: '你的答案',
  unit: (unit) => `单位：${unit}`,
  numericInvalid: '请填写数字，例如 31.09。',
  moveUp: (item) => `上移“${item}”`,
  moveDown: (item) => `下移“${item}”`,
  movedTo: (item, pos, total) => `“${item}”现在排第 ${pos} 位（共 ${total} 项）。`,
  positionOf: (pos, total) => `第 ${pos} 位（共 ${total} 项）`,
  choose: '请选择…',
  submitAnswer: '提交答案',

  timeLeft: '剩余时间',
  secondsLeft: (n) => `还剩 ${n} 秒`,
  secondsShort: (n) => `${n} 秒`,
  hurry: '抓紧时间！',
  timeUp: '时间到',

  correct: '回答正确',
  incorrect: '回答错误',
  verdictLine: (verdict, points) => `${verdict}，${points}。`,
  noAnswer: '超时未作答',
  points: (n) => `+${n} 分`,
  late: '超时：在时限之后才作答，不得分。',
  answeredIn: (sec) => `用时 ${sec} 秒`,
  youAnswered: '你的回答',
  nothing: '未作答',
  correctAnswer: '正确答案',
  tolerance: (n) => `（误差在 ± ${n} 以内都算对）`,
  explanation: '解析',
  source: '原文出处',

  colRank: '名次',
  colNickname: '昵称',
  colScore: '得分',
  colCorrect: '答对',
  you: '（你）',
  noEntries: '还没有人加入。',

  newTitle: '新建课堂测验',
  titleMissing: '请填写标题。',

  network: '连接不上服务器，请检查网络后重试。',
  unexpected: '出了点问题，请重试。',
  loadFailed: '页面加载失败，请检查网络后刷新。',
};

/**
 * Chinese for the API's error codes. The API writes its messages in English, so in English they
 * are shown as sent; codes missing here fall back to that English message.
 */
export const zhApiErrors: Readonly<Record<string, string>> = {
  unknown_code: '找不到这个加入码对应的测验，请和老师核对加入码。',
  nickname_taken: '这个测验里已经有人用了这个昵称，请换一个。',
  session_closed: '这个测验已经结束了。',
  session_locked: '老师已锁定这个测验，暂时不能加入。',
  not_open_yet: '测验还没有开始，请等老师通知。',
  live_session: '这个测验是现场模式，请跟着老师的大屏幕作答。',
  not_finished: '答完全部题目后才能查看解析。',
  unauthorized: '这台设备已不在测验中，请用加入码重新加入。',
  token_expired: '你在这个测验中的身份已过期，请用加入码重新加入。',
  not_current_question: '这不是你当前的题目，正在重新加载。',
  finished: '你已经答完全部题目了。',
  not_served: '请先打开题目再作答。',
  invalid_answer: '这个答案的格式不对，请重新作答。',
  session_not_found: '这个测验不存在（可能已被删除）。',
  forbidden: '这个链接打不开这个测验。',
  link_expired: '这个教师链接已过期。',
  no_questions: '题库里没有符合这些主题的题目。',
  no_code: '暂时没有空闲的加入码，请重试。',
  body_too_large: '提交的内容太长了。',
  malformed_body: '提交的内容格式不正确。',
  not_found: '这个网址没有内容。',
  internal: '服务器出了点问题，请重试。',
};

/** The dictionary's shape; values are texts or small functions that fill in numbers and names. */
export type Strings = typeof en;

const dictionaries: Record<Lang, Strings> = { zh, en };
const STORAGE_KEY = 'pomegranate:lang';

function storedLang(): Lang {
  try {
    return localStorage.getItem(STORAGE_KEY) === 'en' ? 'en' : 'zh';
  } catch {
    return 'zh'; // storage can be disabled (private mode, school policy)
  }
}

let current: Lang = storedLang();
const hosts = new Set<ReactiveControllerHost>();
document.documentElement.lang = dictionaries[current].htmlLang;

/** Re-renders its host whenever the interface language changes. */
export class LangController implements ReactiveController {
  constructor(private readonly host: ReactiveControllerHost) {
    host.addController(this);
  }
  hostConnected(): void {
    hosts.add(this.host);
  }
  hostDisconnected(): void {
    hosts.delete(this.host);
  }
}

/** The current interface language. */
export const lang = (): Lang => current;

/** The dictionary of the current language; call it in `render()` so a change shows at once. */
export const strings = (): Strings => dictionaries[current];

/** Switches the interface language, remembers it and re-renders every connected element. */
export function setLang(next: Lang): void {
  current = next;
  document.documentElement.lang = dictionaries[next].htmlLang;
  try {
    localStorage.setItem(STORAGE_KEY, next);
  } catch {
    // Not remembered, but the switch still applies to this page.
  }
  for (const host of hosts) host.requestUpdate();
}

/** The current language's side of a bilingual text. */
export const t = (text: Localized): string => text[current];

const htmlLang = (l: Lang): string => dictionaries[l].htmlLang;

/** A moment as the reader's language writes it, e.g. "2026年11月29日 08:00". */
export const formatTime = (ms: number): string =>
  new Date(ms).toLocaleString(htmlLang(current), { dateStyle: 'medium', timeStyle: 'short' });

/** The language a session's questions are shown in first: the session's own, or with `both` the reader's. */
const firstLang = (session: SessionLang): Lang => (session === 'both' ? current : session);

/** The other language, shown beneath when the session is in both and the texts differ. */
function secondLang(text: Localized, session: SessionLang): Lang | null {
  const other: Lang = firstLang(session) === 'zh' ? 'en' : 'zh';
  return session === 'both' && text[other] !== text[current] ? other : null;
}

/** A question text in its first language only (for accessible names that repeat it). */
export const qFirst = (text: Localized, session: SessionLang): string => text[firstLang(session)];

/** A question text as plain text (for `<option>`s): "first / second" when the session is in both languages. */
export function qText(text: Localized, session: SessionLang): string {
  const second = secondLang(text, session);
  return second ? `${text[firstLang(session)]} / ${text[second]}` : text[firstLang(session)];
}

/**
 * A question text in the session's language(s), each part marked with its language so that a
 * screen reader pronounces it right; the second language is a `.alt` line (styled in core/styles).
 */
export function qHtml(text: Localized, session: SessionLang): TemplateResult {
  const first = firstLang(session);
  const second = secondLang(text, session);
  return html`<span lang=${htmlLang(first)}>${text[first]}</span>${second
      ? html`<span class="alt" lang=${htmlLang(second)}>${text[second]}</span>`
      : nothing}`;
}
