/**
 * The words of open answers, for the word cloud. Pure functions over plain values: the live room
 * counts the words as answers arrive, the session report counts them again from D1.
 *
 * An answer is split with `Intl.Segmenter` (word granularity: ICU's dictionary splits Chinese, which
 * has no spaces, into words, in workerd as in browsers), keeping only word-like segments. Words are
 * folded (NFKC: full-width letters and digits to half width; lower case), stop words and single Latin
 * letters are dropped, and each word counts once per answer: a student who writes 团结 three times
 * weighs as much as one who writes it once.
 */

import type { CloudWord } from '../contract';

/** Most words a cloud shows: beyond that the small ones are unreadable anyway. */
export const CLOUD_SIZE = 60;

/** Function words that would fill a cloud and say nothing (Chinese, then English). */
const STOP_WORDS = new Set([
  ...'的 了 是 在 和 与 及 也 都 就 而 我 我们 你 你们 他 她 它 他们 这 那 这个 那个 一个 有 没有 不 很 吗 呢 吧 啊 把 被 给 对 从 让 还 又 或 或者 就是 要 会 能 可以'.split(
    ' ',
  ),
  ...'the a an and or of to in on at for with by from is are was were be been it its this that these those as but not no i you we they he she my our your their me us them'.split(
    ' ',
  ),
]);

/** Segmenters are costly to build; one per language is enough. */
const segmenters = new Map<string, Intl.Segmenter>();
function segmenter(lang: string): Intl.Segmenter {
  let s = segmenters.get(lang);
  if (!s) segmenters.set(lang, (s = new Intl.Segmenter(lang, { granularity: 'word' })));
  return s;
}

/**
 * The distinct words of one answer, folded, without stop words and single Latin letters, in the
 * order they first appear. `lang` picks the segmenter's dictionary; Chinese is split by it either way.
 */
export function wordsOf(text: string, lang = 'zh'): string[] {
  const out = new Set<string>();
  for (const { segment, isWordLike } of segmenter(lang).segment(text.normalize('NFKC'))) {
    if (!isWordLike) continue;
    const word = segment.toLowerCase();
    if (STOP_WORDS.has(word) || /^[a-z]$/.test(word)) continue;
    out.add(word);
  }
  return [...out];
}

/** Adds one answer's words to `counts` (word → answers that contain it). */
export function countWords(counts: Map<string, number>, text: string, lang?: string): void {
  for (const word of wordsOf(text, lang)) counts.set(word, (counts.get(word) ?? 0) + 1);
}

/** The biggest {@link CLOUD_SIZE} words of `counts`: most answers first, then by word, so the order is stable. */
export function topWords(counts: ReadonlyMap<string, number>, size = CLOUD_SIZE): CloudWord[] {
  return [...counts]
    .map(([word, count]) => ({ word, count }))
    .sort((a, b) => b.count - a.count || (a.word < b.word ? -1 : a.word > b.word ? 1 : 0))
    .slice(0, size);
}

/** The cloud of `answers`, leaving out those whose key is in `hidden`. */
export function cloud(
  answers: readonly { key: string; text: string }[],
  hidden: ReadonlySet<string> = new Set(),
  lang?: string,
): CloudWord[] {
  const counts = new Map<string, number>();
  for (const a of answers) if (!hidden.has(a.key)) countWords(counts, a.text, lang);
  return topWords(counts);
}
