/**
 * Topic guess: the bank's fixed topics from keywords of the section heading (what the section is
 * about) and of the sentence (what the question is about). Keyword lists are short on purpose; a
 * teacher corrects the guess in review, and a wrong extra topic costs less than a missing one.
 */
import type { Doc } from './split';
import { type Topic, TOPICS } from '../contract';

/**
 * Keywords per topic, Chinese and English. Order matters only to break ties. 教育 counts for
 * livelihood except in 宣传教育 (publicity); "border" takes 边境/边疆/边防… rather than any 边
 * (身边, 旁边).
 */
const RULES: [Topic, RegExp][] = [
  ['publicity', /宣传|宣讲|理论|研究|研讨|舆论|媒体|讲解|故事|思政|publicity|propaganda|campaign|media|lecture/gi],
  [
    'law-policy',
    /法规|法治|法律|宪法|立法|执法|条例|政策|规定|规章|措施|意见|公约|法》|通知|办法|备案|\blaws?\b|polic(?:y|ies)|regulations?|rules?\b/gi,
  ],
  ['models', /模范|表彰|典型|示范|荣誉|先进|榜样|model|award|honou?r|prize|exemplary/gi],
  ['governance', /治理|基层|政治|机制|工委|党委|政府|纠纷|信访|考核|govern|council|committee|management/gi],
  ['culture', /文化|艺术|作品|演出|文艺|史料|著作|博物馆|展馆|歌|舞|culture|cultural|arts?\b|music|museum|festival/gi],
  [
    'livelihood',
    /民生|就业|(?<!宣传)教育|医疗|就医|医|养老|学校|学位|住房|供热|收入|livelihood|jobs?\b|employment|health|hospital|school|pupils?|students?|housing/gi,
  ],
  ['rural', /乡村|振兴|农牧|农村|农业|脱贫|返贫|扶贫|搬迁|rural|village|farm|agricultur/gi],
  ['border', /边境|边疆|边防|守边|戍边|兴边|护边|固边|border|frontier/gi],
  ['exchange', /交往交流交融|互嵌|旅游|交流|互游|结对|exchange|tourism|tourists?|visitors?|twinn?ed/gi],
  ['history', /历史|年代|史|以来|公元|古代|古人|王朝|朝代|秦国|太守|皇帝|遗产|文物|history|historic|century|ancient/gi],
  [
    'economy',
    /经济|生产总值|增加值|产业|工业|企业|可支配收入|消费|投资|财政|统计|产量|总产|出栏|存栏|价格|旅游收入|economy|economic|GDP|industr(?:y|ies)|income|prices?\b|investment|trade/gi,
  ],
];

const scoreCache = new Map<string, Topic[]>();

/** Topics whose keywords the text contains, most hits first; memoised (a sentence yields several drafts). */
function rankedTopics(text: string): Topic[] {
  let topics = scoreCache.get(text);
  if (topics) return topics;
  topics = ranked(scores(text));
  if (scoreCache.size > 2000) scoreCache.clear();
  scoreCache.set(text, topics);
  return topics;
}

function scores(text: string): Map<Topic, number> {
  const out = new Map<Topic, number>();
  for (const [topic, re] of RULES) {
    const n = text.match(re)?.length ?? 0;
    if (n) out.set(topic, n);
  }
  return out;
}

const ranked = (m: Map<Topic, number>): Topic[] =>
  [...m.entries()].sort((a, b) => b[1] - a[1] || TOPICS.indexOf(a[0]) - TOPICS.indexOf(b[0])).map(([t]) => t);

/**
 * What a whole text is about: its topics by keyword hits over the headings (counted three times:
 * a title says more than a sentence) and the text, most hits first. A statistics release is
 * about the economy even where a sentence only says "增长7.4%".
 */
export function documentTopics(doc: Doc): Topic[] {
  const parts: string[] = [];
  for (const s of doc.sections) {
    parts.push(s.heading, s.heading, s.heading);
    for (const p of s.paragraphs) parts.push(p.text);
  }
  return ranked(scores(parts.join('\n')));
}

/**
 * One to three topics: the text's own (its best match over the whole text), then the heading's
 * best match and the sentence's two best, without repeats. `dated` (the draft is about a dated
 * event) adds "history" only when the text is about history at all: a notice dated 2026 is not.
 * With no keyword anywhere the topic is "history", the bank's broadest.
 */
export function guessTopics(heading: string, sentence: string, dated = false, doc: readonly Topic[] = []): Topic[] {
  const out: Topic[] = [];
  const add = (t: Topic | undefined) => {
    if (t && !out.includes(t) && out.length < 3) out.push(t);
  };
  add(doc[0]);
  add(rankedTopics(heading)[0]);
  for (const t of rankedTopics(sentence).slice(0, 2)) add(t);
  if (dated && (doc.length === 0 || doc.includes('history'))) add('history');
  if (!out.length) out.push('history');
  return out;
}
