/**
 * The rows of the CSV exports a teacher opens in Excel or WPS, or pastes into a gradebook, built
 * from what the routes read from D1: every answer of a session, the session as a student ×
 * question grid, and a class as a student × session grid. Questions are named by their place in
 * the session (the teacher's order), never by a student's shuffled order, so "Q3" is the same
 * question on every row and on the report page. Pure, so it runs in the Worker and in Node.
 */
import { isUngraded, type Question } from '../contract';
import { classRows, type ClassSeatBase } from './class-rows';
import type { CsvValue } from './csv';
import { SHEET_WORDS, type SheetLang } from './headers';
import type { LocalClock } from './local-time';
import { describeResponse } from './responses';

/** A question of the session at its (0-based) place in the teacher's order. */
export interface SheetQuestion {
  position: number;
  question: Question;
}

/** A student of the session. */
export interface SheetStudent {
  id: string;
  rank: number;
  nickname: string;
  rosterName: string | null;
  score: number;
}

/** A stored answer; `response` is null when time ran out. */
export interface SheetAnswer {
  participantId: string;
  questionId: string;
  response: unknown;
  correct: boolean;
  points: number;
  timeMs: number;
  answeredAt: number;
}

/** A session's results: questions in session order, students in leaderboard order. */
export interface SessionResults {
  questions: readonly SheetQuestion[];
  students: readonly SheetStudent[];
  answers: readonly SheetAnswer[];
}

/** What a grid cell holds: the points earned, or 1 for right and 0 for wrong. */
export type GridValue = 'points' | 'correct';

/** Longest stem (in characters) a grid's column header carries. */
const STEM_IN_HEADER = 40;

/** Each student's answers by question id. */
function answersOf(answers: readonly SheetAnswer[]): Map<string, Map<string, SheetAnswer>> {
  const out = new Map<string, Map<string, SheetAnswer>>();
  for (const a of answers) {
    const mine = out.get(a.participantId) ?? new Map<string, SheetAnswer>();
    mine.set(a.questionId, a);
    out.set(a.participantId, mine);
  }
  return out;
}

/**
 * The answer given, in the sheet's language; a numeric answer stays a number, so the spreadsheet
 * can sum it (and a negative one is not taken for a formula).
 */
function answerCell(q: Question, response: unknown, lang: SheetLang): CsvValue {
  const value = (response as { value?: unknown } | null)?.value;
  if (q.type === 'numeric' && typeof value === 'number') return value;
  return describeResponse(q, response)?.[lang] ?? '';
}

/**
 * One row per answer, a student's answers in session order; a student without answers still has
 * a row. Times are the school's wall clock, and the header names the zone.
 */
export function answerSheet(results: SessionResults, lang: SheetLang, clock: LocalClock): CsvValue[][] {
  const w = SHEET_WORDS[lang];
  const header = [
    w.rank,
    w.nickname,
    w.rosterName,
    w.totalScore,
    w.question,
    w.questionId,
    w.stem,
    w.answerGiven,
    w.correct,
    w.points,
    w.seconds,
    w.answeredAt(clock.zone),
  ];
  const given = answersOf(results.answers);
  const rows = results.students.flatMap((s) => {
    const who: CsvValue[] = [s.rank, s.nickname, s.rosterName ?? '', s.score];
    const mine = given.get(s.id);
    const lines = results.questions.flatMap(({ position, question: q }) => {
      const a = mine?.get(q.id);
      return a
        ? [
            [
              ...who,
              w.questionLabel(position + 1),
              q.id,
              q.stem[lang],
              answerCell(q, a.response, lang),
              // A poll's vote or an open answer is neither right nor wrong: the cell stays empty.
              isUngraded(q.type) ? '' : a.correct ? w.yes : w.no,
              a.points,
              Math.round(a.timeMs / 100) / 10,
              clock.dateTime(a.answeredAt),
            ],
          ]
        : [];
    });
    // Padded to the header's width: some importers refuse a short record.
    return lines.length ? lines : [[...who, ...header.slice(who.length).map(() => null)]];
  });
  return [header, ...rows];
}

/** A stem on one line, shortened to fit a column header. */
function shortStem(stem: string): string {
  const chars = [...stem.replace(/\s+/g, ' ').trim()];
  return chars.length > STEM_IN_HEADER ? `${chars.slice(0, STEM_IN_HEADER - 1).join('')}…` : chars.join('');
}

/**
 * One row per student (leaderboard order), one column per question in session order holding the
 * points earned (or 1/0 with `value` `correct`; empty when the student never reached it; a
 * question whose time ran out counts as answered, with 0), then total points, number right and
 * number answered: the total equals the leaderboard's score.
 *
 * One header row, each question as "Q3 <stem, shortened>": a second header row of stems would
 * land among the students when the sheet is sorted or filtered, or loaded by a script, while one
 * row keeps the file a plain table; the full stems are in the answers export.
 */
export function gridSheet(results: SessionResults, lang: SheetLang, value: GridValue): CsvValue[][] {
  const w = SHEET_WORDS[lang];
  const header = [
    w.nickname,
    w.rosterName,
    ...results.questions.map(
      ({ position, question }) => `${w.questionLabel(position + 1)} ${shortStem(question.stem[lang])}`,
    ),
    w.totalPoints,
    w.right,
    w.answered,
  ];
  const given = answersOf(results.answers);
  const rows = results.students.map((s) => {
    const mine = given.get(s.id);
    const reached = results.questions.map(({ question }) => mine?.get(question.id));
    const done = reached.filter((a) => a !== undefined);
    // In the right/wrong grid a poll's vote or an open answer is neither 1 nor 0: its cell stays empty.
    const cell = (a: (typeof reached)[number], i: number) =>
      a === undefined
        ? null
        : value === 'points'
          ? a.points
          : isUngraded(results.questions[i]!.question.type)
            ? ''
            : a.correct
              ? 1
              : 0;
    return [
      s.nickname,
      s.rosterName ?? '',
      ...reached.map(cell),
      done.reduce((n, a) => n + a.points, 0),
      done.filter((a) => a.correct).length,
      done.length,
    ];
  });
  return [header, ...rows];
}

/** A session of the class. */
export interface ClassSession {
  id: string;
  title: string;
  createdAt: number;
  /** Its questions with a right answer (not polls or open questions). */
  gradedCount: number;
}

/** A student's seat in one of the class's sessions. */
export interface ClassSeat extends ClassSeatBase {
  correct: number;
}

/** A class's results: sessions in date order, the roster, every seat. */
export interface ClassResults {
  sessions: readonly ClassSession[];
  roster: readonly { id: string; name: string }[];
  seats: readonly ClassSeat[];
}

/**
 * One row per roster name (even one who never played) and per nickname no roster name is linked
 * to (./class-rows), one column per session in date order ("date title"), holding the percent of
 * the session's graded questions the student got right, empty when absent: percent, not points, so that
 * sessions of different lengths compare. Roster names first, then nicknames, each group in the
 * language's collation (pinyin order in Chinese).
 */
export function classSheet(results: ClassResults, lang: SheetLang, clock: LocalClock): CsvValue[][] {
  const w = SHEET_WORDS[lang];
  const rows = classRows(
    results.sessions.map((s) => s.id),
    results.roster,
    results.seats,
  );
  const collator = new Intl.Collator(lang === 'zh' ? 'zh-CN' : 'en');
  const sorted = rows.sort((a, b) => Number(!a.rosterId) - Number(!b.rosterId) || collator.compare(a.name, b.name));
  return [
    [w.rosterName, w.nicknames, ...results.sessions.map((s) => w.session(clock.date(s.createdAt), s.title))],
    ...sorted.map((r) => [
      r.rosterId ? r.name : '',
      r.nicknames.join(w.listSeparator),
      ...r.seats.map((seat, i) => {
        const count = results.sessions[i]!.gradedCount;
        return seat && count ? Math.round((100 * seat.correct) / count) : null;
      }),
    ]),
  ];
}
