import { describe, expect, it } from 'vitest';
import { rawBank } from '../../db/bank';
import { parseBank } from '../../db/seed-sql';
import { reveal, toStudent } from '../../worker/questions/present';
import { SECTION_HEADINGS } from '../../worker/questions/schema';
import type { GradedQuestion, Question } from '../../worker/contract';

const bank = parseBank(rawBank);

describe("a student's view of a question", () => {
  it('never carries the answer, key, explanation or source of any bank question', () => {
    for (const q of bank) {
      const view = toStudent(q, 'participant-1');
      expect(Object.keys(view).sort()).toEqual(expect.arrayContaining(['id', 'stem', 'type']));
      for (const field of ['answer', 'key', 'explanation', 'source', 'tolerance', 'difficulty', 'topics'])
        expect(view, q.id).not.toHaveProperty(field);
      // (A true statement may quote its sentence in the stem, so the quote itself is not checked here.)
      expect(JSON.stringify(view)).not.toContain(q.explanation.zh);
    }
  });

  it('never shows an ordering already solved, and shuffles it per student', () => {
    const orderings = bank.filter((q) => q.type === 'ordering');
    expect(orderings.length).toBeGreaterThan(0);
    for (const q of orderings) {
      const seen = new Set<string>();
      for (let i = 0; i < 30; i++) {
        const order = toStudent(q, `student-${i}`).options!.map((o) => o.id);
        expect(order, q.id).not.toEqual(q.answer);
        expect([...order].sort()).toEqual([...q.answer].sort());
        seen.add(order.join());
      }
      expect(seen.size, q.id).toBeGreaterThan(1);
      // The same student sees the same order after a reload.
      expect(toStudent(q, 'student-1')).toEqual(toStudent(q, 'student-1'));
    }
  });

  it("reveals a bank quote's English translation, and none for a teacher's own quote", () => {
    for (const q of bank)
      expect(reveal(q).source, q.id).toEqual({
        quote: q.source.quote,
        quoteEn: q.source.quoteEn,
        heading: SECTION_HEADINGS[q.source.section],
      });
    const own: Question = { ...bank[0]!, source: { own: true, quote: '自己的引文', heading: '我的课文' } };
    expect(reveal(own).source).toStrictEqual({ quote: '自己的引文', heading: '我的课文' });
  });

  it('reveals the answer, the explanation and the cited section after answering', () => {
    const q = bank[0]!;
    expect(reveal(q)).toMatchObject({
      answer: (q as GradedQuestion).answer,
      explanation: q.explanation,
      source: { quote: q.source.quote },
    });
  });
});
