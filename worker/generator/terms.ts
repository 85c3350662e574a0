/**
 * Terms: names the text marks as names. Chinese reports put the titles of works and regulations
 * in 《…》 and the names of programmes, slogans and practices in “…” (「…」 and 『…』 in
 * traditional typesetting); English texts use “…” or "…". A term cloze blanks the inside of the
 * marks and offers other terms of the same kind as distractors, so the kind decides quality: a
 * regulation among novels, or a slogan among exhibition halls, is an easy guess.
 *
 * Kinds are read from the term's ending (…条例 is a regulation, …工程 a programme, …精神 an
 * idea) or its start (a number: “三个意义”, “五个认同”). When no rule applies the kind is
 * uncertain and the draft's confidence is lowered.
 */
import { hasHan, sameText } from './util';

/** 《》 titles or quoted names. */
export type TermFamily = 'title' | 'quoted';

/** A marked term found in a sentence. */
export interface Term {
  /** The term without its marks. */
  text: string;
  /** Offsets of `text` (inside the marks) in the sentence. */
  start: number;
  end: number;
  open: string;
  close: string;
  family: TermFamily;
  /** Finer kind, e.g. "regulation", "programme", "numbered"; "" when no rule applies. */
  kind: string;
}

const MARKS: [open: string, close: string, family: TermFamily][] = [
  ['《', '》', 'title'],
  ['“', '”', 'quoted'],
  ['「', '」', 'quoted'],
  ['『', '』', 'quoted'],
  ['"', '"', 'quoted'],
];

/** Kind rules, first match wins. */
const KIND_RULES: [family: TermFamily, kind: string, test: RegExp][] = [
  [
    'title',
    'regulation',
    /(条例|法|办法|规定|意见|措施|决定|通知|纲要|规划|方案|准则|细则|章程|公约|Act|Law|Regulations?|Rules)$/,
  ],
  ['title', 'work', /./],
  ['quoted', 'numbered', /^[一二三四五六七八九十两百千万\d]/],
  ['quoted', 'campaign', /(月|周|节|日|Day|Week|Month|Festival)$/i],
  ['quoted', 'programme', /(工程|行动|计划|项目|活动|行|课|战|赛|Programme|Program|Project|Plan|Campaign|Scheme)$/i],
  ['quoted', 'mechanism', /(机制|模式|制度|体系|格局|制)$/],
  ['quoted', 'idea', /(精神|经验|理念|文化|传统|故事|思想)$/],
  ['quoted', 'group', /(团|会|队|组|站|室|户|馆|中心|带|群|基地|村|园|Club|Team|Group|Society)$/i],
  ['quoted', 'slogan', /[、，,]|^[\u4e00-\u9fff]{4}$/],
];

/** The finer kind of a term, or "" when no rule applies. */
export function termKind(text: string, family: TermFamily): string {
  for (const [f, kind, test] of KIND_RULES) if (f === family && test.test(text)) return kind;
  return '';
}

/**
 * Finds the marked terms of a sentence. Skips what is marked but is no name: quoted speech (it
 * contains a full stop, question or exclamation mark), long passages, bare numbers, and English
 * straight quotes that do not pair up.
 */
export function extractTerms(sentence: string): Term[] {
  const out: Term[] = [];
  for (const [open, close, family] of MARKS) {
    if (open === '"' && (sentence.match(/"/g)?.length ?? 0) % 2 !== 0) continue;
    let from = 0;
    for (;;) {
      let a = sentence.indexOf(open, from);
      if (a < 0) break;
      const b = sentence.indexOf(close, a + 1);
      if (b < 0) break;
      from = b + 1;
      // Nested marks (“…“智慧校园”…”): the innermost pair is the name.
      if (open !== close) a = sentence.lastIndexOf(open, b - 1);
      const text = sentence.slice(a + 1, b);
      if (!isName(text, family)) continue;
      out.push({ text, start: a + 1, end: b, open, close, family, kind: termKind(text, family) });
    }
  }
  return out.sort((x, y) => x.start - y.start);
}

function isName(text: string, family: TermFamily): boolean {
  const t = text.trim();
  if (t !== text || t.length < 2 || /[。！？!?]|[“”《》「」『』"]/.test(t)) return false;
  if (/^[\d\s.,%％]+$/.test(t)) return false;
  if (hasHan(t)) return t.length <= (family === 'title' ? 40 : 20) && !(t.length > 12 && /[，,]/.test(t));
  const words = t.split(/\s+/).length;
  return words <= 6 && /[A-Za-z]/.test(t) && !/[.;:]$/.test(t);
}

/** Distractors for a term, and whether they are all of the answer's own kind. */
export interface TermChoice {
  texts: string[];
  /** False when the kind is unknown or the list had to borrow from other kinds of the family. */
  certain: boolean;
}

interface PoolTerm {
  term: Term;
  key: string;
  han: boolean;
  bigrams: Set<string>;
  order: number;
}

const poolCache = new WeakMap<readonly Term[], Map<TermFamily, PoolTerm[]>>();

const bigrams = (s: string): Set<string> => {
  const out = new Set<string>();
  for (let i = 0; i + 1 < s.length; i++) out.add(s.slice(i, i + 2));
  return out;
};

/** The pool's distinct terms by family, with comparison keys, computed once per pool. */
function byFamily(pool: readonly Term[]): Map<TermFamily, PoolTerm[]> {
  let groups = poolCache.get(pool);
  if (groups) return groups;
  groups = new Map();
  const seen = new Set<string>();
  pool.forEach((term, order) => {
    const key = sameText(term.text);
    if (seen.has(`${term.family}#${key}`)) return;
    seen.add(`${term.family}#${key}`);
    const entry: PoolTerm = { term, key, han: hasHan(term.text), bigrams: bigrams(key), order };
    const list = groups!.get(term.family);
    if (list) list.push(entry);
    else groups!.set(term.family, [entry]);
  });
  poolCache.set(pool, groups);
  return groups;
}

/**
 * Other terms of the answer's family, ranked: same kind first, then most shared character pairs
 * (“民族政策宣传月” is closer to “民族法治宣传周” than to “三个意义”), then closest in length,
 * then text order. Never the answer, a term containing it or contained in it (“三北” next to
 * “三北精神” would be a second defensible answer or a give-away), or a text for which `avoid` is
 * true (e.g. a term the stem shows). `sameKindOnly` drops other kinds altogether.
 */
export function termDistractors(
  answer: Term,
  pool: readonly Term[],
  avoid: (text: string) => boolean,
  max = 3,
  sameKindOnly = false,
): TermChoice {
  // Ranking ignores `avoid`, so it is shared by every draft about the same term (its cloze, its
  // true/false, a matching); `avoid` then filters the few best, or, rarely, the whole family.
  const limit = max + 8;
  let cache = rankCache.get(pool);
  if (!cache) rankCache.set(pool, (cache = new Map()));
  const cacheKey = `${answer.family}|${answer.kind}|${sameKindOnly}|${max}|${answer.text}`;
  let top = cache.get(cacheKey);
  if (!top) cache.set(cacheKey, (top = rankTerms(answer, pool, sameKindOnly, limit)));
  let picked = top.filter((r) => !avoid(r.p.term.text)).slice(0, max);
  if (picked.length < max && top.length === limit)
    picked = rankTerms(answer, pool, sameKindOnly, Infinity)
      .filter((r) => !avoid(r.p.term.text))
      .slice(0, max);
  return { texts: picked.map((b) => b.p.term.text), certain: !!answer.kind && picked.every((b) => b.rank[0] === 0) };
}

interface Ranked {
  p: PoolTerm;
  rank: number[];
}
const rankCache = new WeakMap<readonly Term[], Map<string, Ranked[]>>();

const better = (a: number[], b: number[]) => {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i]! < b[i]!;
  return false;
};

/** The best `limit` candidates for `answer` from its family, best first (one pass, no full sort). */
function rankTerms(answer: Term, pool: readonly Term[], sameKindOnly: boolean, limit: number): Ranked[] {
  const key = sameText(answer.text);
  const han = hasHan(answer.text);
  const mine = bigrams(key);
  const best: Ranked[] = [];
  for (const p of byFamily(pool).get(answer.family) ?? []) {
    if (p.han !== han || (sameKindOnly && p.term.kind !== answer.kind) || p.key.includes(key) || key.includes(p.key))
      continue;
    const kind = answer.kind && p.term.kind === answer.kind ? 0 : 1;
    if (best.length === limit && kind > best[limit - 1]!.rank[0]!) continue;
    let shared = 0;
    for (const b of p.bigrams) if (mine.has(b)) shared++;
    const rank = [kind, -shared, Math.abs(p.key.length - key.length), p.order];
    if (best.length === limit && !better(rank, best[limit - 1]!.rank)) continue;
    let at = best.length;
    while (at > 0 && better(rank, best[at - 1]!.rank)) at--;
    best.splice(at, 0, { p, rank });
    if (best.length > limit) best.pop();
  }
  return best;
}
