/**
 * The word cloud of an open question as the teacher's screens get it: the words of the answers not
 * hidden, counted, and the newest answers for the teacher to hide one. The room sends it as often as
 * the answer count, so each answer's words are kept once split (the segmenter is the costly part).
 */
import { topWords, wordsOf } from '../questions/words';
import type { OpenAnswerRow } from './store';
import { OPEN_LIST_SIZE, type CloudMessage } from '../contract';

/** Answers' texts kept split; emptied when it grows past this (one room has at most 1 000 students). */
const MEMO_SIZE = 5_000;

export class CloudBuilder {
  private readonly memo = new Map<string, string[]>();

  private words(text: string): string[] {
    let words = this.memo.get(text);
    if (!words) {
      if (this.memo.size >= MEMO_SIZE) this.memo.clear();
      this.memo.set(text, (words = wordsOf(text)));
    }
    return words;
  }

  /** The message for the question the screens call `questionId`, from its answers newest first. */
  message(questionId: string, rows: readonly OpenAnswerRow[]): CloudMessage {
    const counts = new Map<string, number>();
    const answers = rows.map((r) => ({
      participantId: r.participant_id,
      nickname: r.nickname,
      text: textOf(r.response),
      hidden: r.hidden === 1,
    }));
    for (const a of answers) if (!a.hidden) for (const w of this.words(a.text)) counts.set(w, (counts.get(w) ?? 0) + 1);
    return {
      type: 'cloud',
      questionId,
      answered: answers.length,
      hidden: answers.filter((a) => a.hidden).length,
      words: topWords(counts),
      answers: answers.slice(0, OPEN_LIST_SIZE),
    };
  }
}

/** The text of a stored open response (JSON `{ text }`). */
const textOf = (response: string): string => {
  const r = JSON.parse(response) as { text?: unknown };
  return typeof r.text === 'string' ? r.text : '';
};
