/**
 * Texts of the live game (the projector and the student's live screen), in the lazily loaded
 * live chunks so the student entry chunk does not carry them. Same pattern as ./i18n: an English
 * dictionary and a Chinese one of the same type, so the compiler rejects a missing translation.
 * Texts the self-paced screens already have (progress, score, verdict words, table columns) are
 * taken from ./i18n rather than repeated here.
 */
import type { LiveErrorCode } from '../../../worker/live/protocol';
import { lang } from './lang';

/** 1st, 2nd, 3rd, 4th … 11th, 12th, 13th … 21st. */
function ordinal(n: number): string {
  const tens = n % 100;
  const suffix = tens >= 11 && tens <= 13 ? 'th' : (['th', 'st', 'nd', 'rd'][n % 10] ?? 'th');
  return `${n}${suffix}`;
}

const en = {
  // Connection ---------------------------------------------------------------------------------
  connecting: 'Connecting…',
  reconnecting: 'Connection lost. Reconnecting…',
  replacedTitle: 'Opened somewhere else',
  replacedText: 'This game was opened in another tab or on another device, so this screen stopped.',
  replacedHostText: 'The game was opened on more screens than allowed, so this one stopped.',
  useHere: 'Continue on this screen',
  kickedTitle: 'Removed from the game',
  kickedText: 'Your teacher removed you from this game.',
  endedTitle: 'This game has ended',
  endedText: 'The live game is over. Ask your teacher for the results.',

  // Student ------------------------------------------------------------------------------------
  lobbyTitle: "You're in!",
  lobbyText: 'Waiting for the teacher to start.',
  nickname: (name: string) => `Your nickname: ${name}`,
  sending: 'Sending your answer…',
  received: 'Answer received',
  receivedText: 'Watch the big screen: the answer shows when time is up or everyone has answered.',
  timeUpText: "Time's up. Waiting for the answer…",
  pausedByTeacher: 'Paused by the teacher',
  skipped: 'The teacher skipped this question.',
  waiting: 'Waiting for the teacher…',
  resultTitle: 'Your standing',
  streak: (n: number) => `Streak: ${n} right in a row`,
  bonus: (n: number) => `including a +${n} streak bonus`,
  rankOf: (rank: number, total: number) => `Rank ${rank} of ${total}`,
  nextSoon: 'The next question is coming…',
  gameOver: 'Game over!',
  finalRank: (rank: number, total: number) => `You finished ${ordinal(rank)} of ${total}.`,
  rightCount: (n: number, total: number) => `${n} of ${total} right`,

  // Projector ----------------------------------------------------------------------------------
  joinAt: 'Go to',
  scanToJoin: 'Scan to join',
  qrLabel: (url: string) => `Scan to join: QR code of ${url}`,
  students: (n: number) => (n === 1 ? '1 student' : `${n} students`),
  noStudents: 'Waiting for students to join…',
  offline: 'offline',
  remove: (name: string) => `Remove ${name}`,
  start: 'Start the game',
  answered: (n: number, of: number) => `${n} / ${of} answered`,
  answerOnDevice: 'Answer on your device.',
  reveal: 'Reveal the answer',
  pause: 'Pause',
  paused: 'Paused',
  resume: 'Resume',
  skip: 'Skip question',
  end: 'End game',
  endTitle: 'End the game now?',
  endText: 'Everyone sees the final ranking. Questions not played yet are left out.',
  endYes: 'Yes, end the game',
  cancel: 'Cancel',
  showLeaderboard: 'Show the leaderboard',
  showPodium: 'Show the final results',
  nextQuestion: 'Next question',
  fullScreen: 'Full screen',
  exitFullScreen: 'Exit full screen',
  controls: 'Game controls',
  keysTitle: 'Keyboard shortcuts',
  keys: [
    ['Space / Enter', 'next'],
    ['R', 'reveal'],
    ['P', 'pause / resume'],
    ['S', 'skip'],
    ['F', 'full screen'],
  ] as [string, string][],
  correctAnswer: 'Correct answer',
  howAnswered: 'How the class answered',
  answersOf: (n: number) => (n === 1 ? '1 answer' : `${n} answers`),
  summary: (right: number, wrong: number, none: number) => `${right} right · ${wrong} wrong · ${none} no answer`,
  top: 'Top 5',
  change: 'Change',
  up: (n: number) => `up ${n}`,
  down: (n: number) => `down ${n}`,
  isNew: 'new',
  same: 'no change',
  podium: 'Podium',
  place: (n: number) => ordinal(n),
  pointsOf: (n: number) => `${n} points`,
  fullRanking: 'Final ranking',
  sessionPage: 'Session page',
  openProjector: 'Open the projector view',
  projectorHint: 'Show it on the classroom screen: students join, then you run the game question by question.',
  modeLegend: 'How the class plays',
  modeSelf: 'Self-paced: each student answers at their own speed',
  modeLive: 'Live: you run it on the projector, question by question',
  report: 'Results and report',
  notLive: 'This session is self-paced: it has no projector view.',
  notConnected: 'Not connected: wait for the connection to come back.',
  needKey:
    'This screen opens with the private teacher link of the session (the one ending in #key=…). Open that link, or the session page on the device where you created the session.',
  questionGone: 'The question is not on this screen any more (it was reloaded).',
  orderedAs: 'In this order:',
  acceptedAnswers: 'Accepted answers',
};

/** The same keys as {@link en}. */
const zh: typeof en = {
  connecting: '正在连接…',
  reconnecting: '连接中断，正在重新连接…',
  replacedTitle: '已在别处打开',
  replacedText: '这个游戏已在其他标签页或设备上打开，这个屏幕已停止。',
  replacedHostText: '打开这个游戏的屏幕太多了，这个屏幕已停止。',
  useHere: '在这个屏幕继续',
  kickedTitle: '你已被移出游戏',
  kickedText: '老师把你移出了这个游戏。',
  endedTitle: '游戏已经结束',
  endedText: '现场游戏已结束，请向老师询问成绩。',

  lobbyTitle: '你已加入！',
  lobbyText: '请等老师开始。',
  nickname: (name) => `你的昵称：${name}`,
  sending: '正在提交答案…',
  received: '答案已收到',
  receivedText: '请看大屏幕：时间到或全班都答完后公布答案。',
  timeUpText: '时间到，等待公布答案…',
  pausedByTeacher: '老师暂停了游戏',
  skipped: '老师跳过了这道题。',
  waiting: '等待老师操作…',
  resultTitle: '你的成绩',
  streak: (n) => `连对 ${n} 题`,
  bonus: (n) => `含连对奖励 +${n} 分`,
  rankOf: (rank, total) => `第 ${rank} 名（共 ${total} 人）`,
  nextSoon: '下一题马上开始…',
  gameOver: '游戏结束！',
  finalRank: (rank, total) => `你获得第 ${rank} 名（共 ${total} 人）。`,
  rightCount: (n, total) => `答对 ${n} / ${total} 题`,

  joinAt: '打开网址',
  scanToJoin: '扫码加入',
  qrLabel: (url) => `扫码加入：${url} 的二维码`,
  students: (n) => `${n} 名学生`,
  noStudents: '等待学生加入…',
  offline: '离线',
  remove: (name) => `移出“${name}”`,
  start: '开始游戏',
  answered: (n, of) => `已作答 ${n} / ${of}`,
  answerOnDevice: '请在自己的设备上作答。',
  reveal: '公布答案',
  pause: '暂停',
  paused: '已暂停',
  resume: '继续',
  skip: '跳过本题',
  end: '结束游戏',
  endTitle: '现在结束游戏吗？',
  endText: '全班会看到最终排名，还没进行的题目不再出现。',
  endYes: '确定结束',
  cancel: '取消',
  showLeaderboard: '查看排行榜',
  showPodium: '查看最终排名',
  nextQuestion: '下一题',
  fullScreen: '全屏',
  exitFullScreen: '退出全屏',
  controls: '游戏控制',
  keysTitle: '快捷键',
  keys: [
    ['空格 / 回车', '下一步'],
    ['R', '公布答案'],
    ['P', '暂停 / 继续'],
    ['S', '跳过'],
    ['F', '全屏'],
  ],
  correctAnswer: '正确答案',
  howAnswered: '全班作答情况',
  answersOf: (n) => `${n} 人`,
  summary: (right, wrong, none) => `答对 ${right} 人 · 答错 ${wrong} 人 · 未作答 ${none} 人`,
  top: '前五名',
  change: '变化',
  up: (n) => `上升 ${n} 名`,
  down: (n) => `下降 ${n} 名`,
  isNew: '新上榜',
  same: '不变',
  podium: '领奖台',
  place: (n) => `第 ${n} 名`,
  pointsOf: (n) => `${n} 分`,
  fullRanking: '最终排名',
  sessionPage: '测验管理页',
  openProjector: '打开大屏幕视图',
  projectorHint: '在教室大屏幕上打开：学生加入后，由你一题一题地进行。',
  modeLegend: '答题方式',
  modeSelf: '自主作答：每个学生按自己的节奏答题',
  modeLive: '现场模式：你在大屏幕上一题一题地进行',
  report: '成绩与报告',
  notLive: '这个测验是自主作答模式，没有大屏幕视图。',
  notConnected: '未连接，请等待重新连接。',
  needKey: '这个屏幕要用测验的教师专用链接（以 #key=… 结尾）打开。请打开那个链接，或在创建测验的设备上打开测验管理页。',
  questionGone: '页面刷新后，这道题已不在这个屏幕上。',
  orderedAs: '正确顺序：',
  acceptedAnswers: '可接受的答案',
};

export type LiveStrings = typeof en;

/** The live dictionary of the current interface language; call it in `render()`. */
export const liveStrings = (): LiveStrings => (lang() === 'zh' ? zh : en);

/** Refusals from the live room, in both languages; unknown codes show the server's (English) message. */
const errors: Partial<Record<LiveErrorCode, { en: string; zh: string }>> = {
  paused: { en: 'The game is paused: answer when it goes on.', zh: '游戏已暂停，继续后再作答。' },
  question_closed: { en: 'Too late: this question is closed.', zh: '来晚了，这道题已经结束。' },
  not_current_question: { en: 'That question is no longer open.', zh: '这道题已经不是当前题目了。' },
  invalid_answer: { en: 'This answer does not fit the question. Try again.', zh: '这个答案的格式不对，请重新作答。' },
  no_questions: { en: 'This session has no questions.', zh: '这个测验没有题目。' },
  not_now: { en: 'That cannot be done right now.', zh: '现在不能这样操作。' },
  internal: { en: 'Something went wrong on our side; the game goes on.', zh: '服务器出了点问题，游戏会继续。' },
};

/** A live-room refusal as text in the interface language. */
export function liveError(code: LiveErrorCode, message: string): string {
  return errors[code]?.[lang()] ?? message;
}
