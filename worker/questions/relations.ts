/**
 * Relations between bank questions (db/bank/relations.json, seeded to D1's `question_relations`):
 * a question whose stem gives away another's answer, or two that test the same fact. Sessions
 * drawn from the bank keep related questions apart, and the quiz builder warns about them.
 * Imported by the Worker, the seed, the checks and the web app (no Cloudflare globals here).
 */
import type { QuestionRelation } from '../contract';

/** `db/bank/relations.json`: `gives` pairs `[a, b]` (a's stem gives away b's answer) and `same` groups. */
export interface RelationsFile {
  gives: [string, string][];
  same: string[][];
}

/** The file as rows: each `gives` pair as listed, each pair within a `same` group once, in group order. */
export function relationRows(file: RelationsFile): QuestionRelation[] {
  const rows: QuestionRelation[] = file.gives.map(([questionId, relatedId]) => ({
    questionId,
    relatedId,
    kind: 'gives',
  }));
  for (const group of file.same)
    group.forEach((questionId, i) =>
      group.slice(i + 1).forEach((relatedId) => rows.push({ questionId, relatedId, kind: 'same' })),
    );
  return rows;
}

/** A lookup: the relations between two questions, in either direction. */
export function relationIndex(relations: readonly QuestionRelation[]): (a: string, b: string) => QuestionRelation[] {
  const byPair = new Map<string, QuestionRelation[]>();
  const key = (a: string, b: string) => (a < b ? `${a}\n${b}` : `${b}\n${a}`);
  for (const r of relations) {
    const k = key(r.questionId, r.relatedId);
    byPair.set(k, [...(byPair.get(k) ?? []), r]);
  }
  return (a, b) => byPair.get(key(a, b)) ?? [];
}

/** Every related pair among `ids` (a quiz's questions, in order), with their positions (0-based, first < second). */
export function relatedPairsIn(
  ids: readonly string[],
  relations: readonly QuestionRelation[],
): { first: number; second: number; relation: QuestionRelation }[] {
  const between = relationIndex(relations);
  const out: { first: number; second: number; relation: QuestionRelation }[] = [];
  ids.forEach((a, i) =>
    ids.slice(i + 1).forEach((b, k) => {
      for (const relation of between(a, b)) out.push({ first: i, second: i + 1 + k, relation });
    }),
  );
  return out;
}

/**
 * Up to `count` of `shuffled` (already in random order), taken in order but skipping any question
 * related to one already taken, so that no two related questions meet. Only when too few
 * unrelated questions are left does it fill up with the skipped ones (in their random order).
 */
export function drawApart(
  shuffled: readonly string[],
  count: number,
  relations: readonly QuestionRelation[],
): string[] {
  const between = relationIndex(relations);
  const taken: string[] = [];
  const skipped: string[] = [];
  for (const id of shuffled) {
    if (taken.length >= count) break;
    if (taken.some((t) => between(t, id).length > 0)) skipped.push(id);
    else taken.push(id);
  }
  return [...taken, ...skipped.slice(0, Math.max(0, count - taken.length))];
}
