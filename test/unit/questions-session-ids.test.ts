import { describe, expect, it } from 'vitest';
import { rawBank } from '../../db/bank';
import { parseBank } from '../../db/seed-sql';
import type { GradedQuestion, Question, Reveal } from '../../worker/contract';
import { reveal, toStudent } from '../../worker/questions/present';
import { grade } from '../../worker/questions/scoring';
import { SessionIds } from '../../worker/questions/session-ids';
import { rightResponse } from '../responses';

const bank = parseBank(rawBank) as Question[];

/** The response a student sends who copies `answer` (a reveal's) as the answer to `q`. */
const answerFrom = (q: Question, answer: Reveal['answer']) => rightResponse({ ...q, answer } as Question);
const choiceTypes = new Set(['single', 'multi', 'ordering', 'matching']);

describe('per-session ids', () => {
  it('never shows a bank id of a question, option or target', async () => {
    const ids = await SessionIds.create('salt-a', bank);
    for (const q of bank) {
      const shown = ids.student(toStudent(q, 'p1'));
      expect(shown.id).not.toBe(q.id);
      expect(ids.bankId(shown.id)).toBe(q.id);
      const bankOptionIds = new Set(
        [...('options' in q ? q.options : []), ...(q.type === 'matching' ? q.targets : [])].map((o) => o.id),
      );
      for (const o of [...(shown.options ?? []), ...(shown.targets ?? [])]) expect(bankOptionIds.has(o.id)).toBe(false);
      // Ids are unique within the question, so that each maps back to one option.
      const shownIds = [...(shown.options ?? []), ...(shown.targets ?? [])].map((o) => o.id);
      expect(new Set(shownIds).size, q.id).toBe(shownIds.length);
    }
    expect(new Set(bank.map((q) => ids.questionId(q.id))).size).toBe(bank.length);
  });

  it('refuses a session without a salt (its ids would be anyone’s to compute)', async () => {
    await expect(SessionIds.create('', bank)).rejects.toThrow(/no salt/);
  });

  it('gives the same ids for the same salt and others for another salt', async () => {
    const [a, again, b] = await Promise.all([
      SessionIds.create('salt-a', bank),
      SessionIds.create('salt-a', bank),
      SessionIds.create('salt-b', bank),
    ]);
    for (const q of bank) {
      expect(again.questionId(q.id)).toBe(a.questionId(q.id));
      expect(b.questionId(q.id)).not.toBe(a.questionId(q.id));
    }
  });

  it('grades the revealed answer right in its own session and a bank id as unknown', async () => {
    const ids = await SessionIds.create('salt-a', bank);
    for (const q of bank) {
      const shown = ids.reveal(q, reveal(q));
      const verdict = grade(q, ids.toBank(q, answerFrom(q, shown.answer)));
      expect(verdict, q.id).toMatchObject({ ok: true, correct: true });
      if (choiceTypes.has(q.type))
        expect(grade(q, ids.toBank(q, answerFrom(q, (q as GradedQuestion).answer))).ok, q.id).toBe(false);
    }
  });

  it('makes a key harvested in one session worthless in another', async () => {
    const [a, b] = await Promise.all([SessionIds.create('session-a', bank), SessionIds.create('session-b', bank)]);
    let refused = 0;
    let choice = 0;
    for (const q of bank.filter((x) => choiceTypes.has(x.type))) {
      choice++;
      // The key from session A, keyed by what A showed; session B shows other ids for the same question.
      expect(b.bankId(a.questionId(q.id))).toBeUndefined();
      const harvested = answerFrom(q, a.reveal(q, reveal(q)).answer);
      const verdict = grade(q, b.toBank(q, harvested));
      if (!verdict.ok) refused++;
      else expect(verdict.correct).toBe(false);
    }
    expect(refused).toBe(choice);
  });

  it('maps a stored answer back to the ids the student saw', async () => {
    const ids = await SessionIds.create('salt-a', bank);
    for (const q of bank) {
      const sent = answerFrom(q, ids.reveal(q, reveal(q)).answer);
      expect(ids.fromBank(q, ids.toBank(q, sent))).toEqual(sent);
    }
  });

  it("keys a class's counts by the session's option ids", async () => {
    const ids = await SessionIds.create('salt-a', bank);
    const single = bank.find((q) => q.type === 'single')!;
    // Unshuffled: shown in bank order.
    const shown = ids.student(toStudent(single, 'p1'));
    const counts = ids.counts(single, Object.fromEntries(single.options.map((o, i) => [o.id, i])));
    expect(counts).toEqual(Object.fromEntries(shown.options!.map((o, i) => [o.id, i])));
    const truefalse = bank.find((q) => q.type === 'truefalse')!;
    expect(ids.counts(truefalse, { true: 3, false: 1 })).toEqual({ true: 3, false: 1 });
  });
});
