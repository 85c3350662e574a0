/**
 * The words of the CSV exports (column headers, yes/no, file names) in the teacher's interface
 * language. English is the API's default and keeps the lower-case headers scripts already read;
 * the Chinese is typed by it, so a column cannot go missing in one language.
 */
import type { Localized } from '../contract';

/** A language the exports are written in. */
export type SheetLang = keyof Localized;

const en = {
  rank: 'rank',
  nickname: 'nickname',
  rosterName: 'roster name',
  totalScore: 'total score',
  question: 'question',
  /** A question by its 1-based place in the session, as the report page names it. */
  questionLabel: (n: number) => `Q${n}`,
  questionId: 'question id',
  stem: 'question text',
  answerGiven: 'answer given',
  correct: 'correct',
  points: 'points',
  seconds: 'seconds',
  answeredAt: (zone: string) => `answered at (${zone})`,
  yes: 'yes',
  no: 'no',
  totalPoints: 'total points',
  right: 'number right',
  answered: 'number answered',
  nicknames: 'nicknames',
  /** A class grid's column: one session's percent right. */
  session: (date: string, title: string) => `${date} ${title} (% right)`,
  listSeparator: ', ',
  answersFile: 'answers',
  gridFile: 'grid',
};

export type SheetWords = typeof en;

const zh: SheetWords = {
  rank: '名次',
  nickname: '昵称',
  rosterName: '花名册姓名',
  totalScore: '总得分',
  question: '题号',
  questionLabel: (n) => `第 ${n} 题`,
  questionId: '题目编号',
  stem: '题目',
  answerGiven: '作答',
  correct: '是否正确',
  points: '得分',
  seconds: '用时（秒）',
  answeredAt: (zone) => `作答时间（${zone}）`,
  yes: '是',
  no: '否',
  totalPoints: '总得分',
  right: '答对题数',
  answered: '作答题数',
  nicknames: '昵称',
  session: (date, title) => `${date} ${title}（正确率 %）`,
  listSeparator: '、',
  answersFile: '作答明细',
  gridFile: '成绩表',
};

/** The words of each language. */
export const SHEET_WORDS: Record<SheetLang, SheetWords> = { zh, en };
