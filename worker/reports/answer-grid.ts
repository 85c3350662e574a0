/**
 * The dashboard's student × question grid: how each student did on each question, in the
 * session's order of questions, and the orders the teacher may list the students in. Pure, so it
 * runs in the Worker, in the browser and in Node.
 */
import type { AnswerCell, Localized, TeacherView } from '../contract';

/** A stored answer, as much of it as the grid needs. */
export interface GridAnswer {
  participantId: string;
  questionId: string;
  correct: boolean;
  /** No response: the student sent nothing, or time ran out. */
  blank: boolean;
}

/**
 * A row per participant, a cell per question in `questionIds`' order (the session's). Answers are
 * placed by question id, not by their stored position: with shuffled questions that is the
 * student's own order. An answer of someone or something not listed is left out. An answer to
 * one of `polls` is a vote, neither right nor wrong.
 */
export function answerGrid(
  questionIds: readonly string[],
  participantIds: readonly string[],
  answers: readonly GridAnswer[],
  polls: ReadonlySet<string> = new Set(),
): TeacherView['grid'] {
  const column = new Map(questionIds.map((id, i) => [id, i]));
  const rows = new Map(participantIds.map((id) => [id, questionIds.map((): AnswerCell => null)]));
  for (const a of answers) {
    const cells = rows.get(a.participantId);
    const i = column.get(a.questionId);
    if (cells && i !== undefined)
      cells[i] = a.blank ? 'blank' : polls.has(a.questionId) ? 'voted' : a.correct ? 'right' : 'wrong';
  }
  return { rows: [...rows].map(([participantId, cells]) => ({ participantId, cells })) };
}

/** The orders of the grid's rows: as the students joined, by score, by nickname. */
export const GRID_ORDERS = ['joined', 'score', 'name'] as const;
export type GridOrder = (typeof GRID_ORDERS)[number];

/**
 * `students` (given in the order they joined) in `order`: by score, highest first; by nickname in
 * the language's collation (pinyin order in Chinese). Ties keep the order of joining, so that
 * rows do not swap places from one poll to the next.
 */
export function orderStudents<S extends { nickname: string; score: number }>(
  students: readonly S[],
  order: GridOrder,
  lang: keyof Localized,
): S[] {
  const collator = new Intl.Collator(lang === 'zh' ? 'zh-CN' : 'en');
  const compare: Record<GridOrder, (a: S, b: S) => number> = {
    joined: () => 0,
    score: (a, b) => b.score - a.score,
    name: (a, b) => collator.compare(a.nickname, b.nickname),
  };
  return [...students].sort(compare[order]);
}
