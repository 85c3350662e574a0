/**
 * Figures: numbers with what they count. A figure keeps its unit and qualifiers, because a
 * student must choose between "2.9万多件" and "5.8万多件", not between bare numbers, and a
 * distractor must read exactly like the answer except for the number (no format gives it away).
 *
 * Recognised, in Chinese: dates (9月27日, 2023年9月27日), years (2023年), percentages (90%以上,
 * 3个百分点), ordinals (第41个) and counts with an optional magnitude (万, 亿, …), an optional
 * approximation (余, 多), a unit (个, 名, 人次, 公里, …) and an optional suffix (以上, 左右). In
 * English: dates (September 27), years (1983), percentages (90%), money ($2.8 million) and counts
 * with a unit word (3,258 km, 893 schools). Full-width digits (１２３) are read as half width; the
 * figure's text stays verbatim and distractors are rendered in the same width.
 */
import { giveAways, type NumericOption } from './giveaway';
import { halfWidthDigits, hasFullWidthDigit, hasHan, hash53, toFullWidthDigits } from './util';

/** What a figure states; distractors are only drawn from figures of the same kind and unit. */
export type FigureKind = 'year' | 'date' | 'percent' | 'ordinal' | 'count' | 'ratio';

/** A figure found in a sentence. */
export interface Figure {
  /** Verbatim text of the figure in the sentence. */
  text: string;
  start: number;
  end: number;
  kind: FigureKind;
  /** The number as written (2.9 in 2.9万); for dates month × 100 + day. */
  number: number;
  /** Decimal places as written. */
  decimals: number;
  /** Value in base units (2.9万 → 29 000), used to rank siblings by magnitude. */
  value: number;
  /** Text of the figure before the number: "第", "$". */
  head: string;
  /** Text of the figure after the number, verbatim: "万多件", "%以上", " km". */
  tail: string;
  /** Parsed parts of head and tail, normalised (half width, lower case, English singular). */
  magnitude: string;
  approx: string;
  unit: string;
  suffix: string;
  fullWidth: boolean;
  /** Written with thousands separators (3,258). */
  grouped: boolean;
  /** For dates: the parts and how they are written. */
  date?: { year?: number; month: number; day: number; style: 'zh' | 'en-md' | 'en-dm' };
  /** For ratios ("11.5:48.5:40.0"): the parts as written, and the separator. */
  ratio?: { parts: string[]; sep: string };
}

const ZH_MAGNITUDES: Record<string, number> = {
  万亿: 1e12,
  千万: 1e7,
  百万: 1e6,
  十万: 1e5,
  万: 1e4,
  亿: 1e8,
  千: 1e3,
  百: 1e2,
};
const EN_MAGNITUDES: Record<string, number> = { thousand: 1e3, million: 1e6, billion: 1e9, trillion: 1e12 };

/**
 * Chinese units and measure words, longest first so that 人次 wins over 人 and 场次 over 场.
 * 日 and 月 are left out: a bare "27日" is a day of the month, not a count, and is only read
 * as part of a date.
 */
const ZH_UNITS = [
  // Rates: a yield or a price per unit ("412公斤/亩"); without them the "/亩" would hide the figure.
  '公斤/亩',
  '千克/亩',
  '吨/公顷',
  '元/亩',
  '元/吨',
  '元/公斤',
  '元/人',
  '元/平方米',
  '平方公里',
  '平方千米',
  '平方米',
  '立方米',
  '个百分点',
  '个月',
  '公里',
  '千米',
  '厘米',
  '毫米',
  '公顷',
  '公斤',
  '千克',
  '人次',
  '场次',
  '架次',
  '课时',
  '小时',
  '分钟',
  '周岁',
  '万元',
  '亿元',
  '米',
  '亩',
  '吨',
  '克',
  '斤',
  '升',
  '元',
  '人',
  '名',
  '位',
  '个',
  '件',
  '场',
  '次',
  '部',
  '家',
  '项',
  '所',
  '条',
  '户',
  '座',
  '台',
  '辆',
  '架',
  '艘',
  '只',
  '头',
  '匹',
  '棵',
  '株',
  '本',
  '册',
  '篇',
  '首',
  '幅',
  '支',
  '批',
  '类',
  '种',
  '届',
  '期',
  '周',
  '天',
  '年',
  '秒',
  '岁',
  '倍',
  '处',
  '间',
  '套',
  '张',
  '份',
  '门',
  '节',
  '枚',
  '块',
  '片',
  '层',
  '分',
  '度',
  '对',
  '组',
  '队',
  '班',
  '所',
  '座',
  '道',
  '封',
  '轮',
  '趟',
  '圈',
  '盏',
  '棵',
  '箱',
  '包',
  '袋',
  '瓶',
  '杯',
  '碗',
].filter((u, i, all) => all.indexOf(u) === i);
const ZH_UNIT_RE = ZH_UNITS.join('|');

/** English unit words; any other plural noun after a number also counts (see {@link englishUnit}). */
const EN_UNITS = new Set([
  'km',
  'kilometre',
  'kilometer',
  'mile',
  'm',
  'metre',
  'meter',
  'cm',
  'mm',
  'kg',
  'kilogram',
  'g',
  'gram',
  'tonne',
  'ton',
  'hectare',
  'acre',
  'litre',
  'liter',
  'yuan',
  'dollar',
  'euro',
  'pound',
  'people',
  'person',
  'student',
  'pupil',
  'teacher',
  'school',
  'class',
  'event',
  'time',
  'year',
  'month',
  'week',
  'day',
  'hour',
  'minute',
  'second',
  'child',
  'children',
  'team',
  'point',
  'goal',
  'medal',
  'book',
  'tree',
  'visitor',
  'member',
  'village',
  'county',
  'city',
  'project',
  'item',
]);
const EN_STOP = new Set([
  'was',
  'has',
  'its',
  'this',
  'his',
  'hers',
  'ours',
  'yours',
  'theirs',
  'across',
  'towards',
  'always',
  'perhaps',
  'plus',
  'less',
  'unless',
  'thus',
  'whereas',
  'besides',
  'afterwards',
  'does',
  'goes',
  'is',
  'as',
  'us',
  'yes',
  'gets',
  'makes',
]);
const MONTHS = [
  'january',
  'february',
  'march',
  'april',
  'may',
  'june',
  'july',
  'august',
  'september',
  'october',
  'november',
  'december',
];
const MONTH_RE =
  '(January|February|March|April|May|June|July|August|September|October|November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\\.?';
const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

const RANGE_AFTER = /^\s*(—|–|-|~|～|至|到)\s*\d/;
const RANGE_BEFORE = /\d[^\d\s，。；、,;]{0,3}\s*(—|–|-|~|～|至|到)\s*$/;

/** The patterns, compiled once (building them per sentence cost more than running them). */
const RE = {
  zhDate: /(?<![\d.])(?:(\d{4})年)?(\d{1,2})月(\d{1,2})日/g,
  enMonthDay: new RegExp(`\\b${MONTH_RE}\\s+(\\d{1,2})(?:st|nd|rd|th)?\\b`, 'g'),
  enDayMonth: new RegExp(`\\b(\\d{1,2})(?:st|nd|rd|th)?\\s+${MONTH_RE}(?![a-z])`, 'g'),
  zhYear: /(?<![\d.,A-Za-z])(\d{4})年(?:\d{1,2}月(?!\d))?(?!代)/g,
  percent:
    /(?<![\d.,A-Za-z+\-/])(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?(\s?%|\s?per ?cent\b|个百分点|‰)(以上|以下|左右|以内)?/g,
  // A year before the common era: 公元前256年.
  bcYear: /公元前(\d{1,4})年/g,
  // Ratios: 11.5:48.5:40.0, 2.14:1 (a clock time like 8:30 is not one: see extractFigures).
  ratio: /(?<![\d.:：])\d+(?:\.\d+)?(?:[:：]\d+(?:\.\d+)?){1,3}(?![\d:：]|\.\d)/g,
  ordinal: new RegExp(`第(\\d+)(${ZH_UNIT_RE})`, 'g'),
  zhCount: new RegExp(
    `(?<![\\d.,A-Za-z+\\-/])(\\d{1,3}(?:,\\d{3})+|\\d+)(\\.\\d+)?( ?)(万亿|千万|百万|十万|万|亿|千|百)?(余|多)?(${ZH_UNIT_RE})?(以上|以下|左右|以内)?(?![\\dA-Za-z+\\-/%])`,
    'g',
  ),
  enNumber:
    /(?<![\w.,$£€¥\-+/])([$£€¥])?(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?(?:\s(thousand|million|billion|trillion)\b)?(?:\s+([A-Za-z]+))?/g,
};

/** The singular, lower-case form of an English unit word, or '' when the word is not a unit. */
function englishUnit(word: string): string {
  const w = word.toLowerCase();
  if (EN_UNITS.has(w)) return w;
  if (w === 'children' || w === 'people') return w;
  const singular = w.endsWith('ies')
    ? `${w.slice(0, -3)}y`
    : w.endsWith('ses') || w.endsWith('xes')
      ? w.slice(0, -2)
      : w.replace(/s$/, '');
  if (EN_UNITS.has(singular)) return singular;
  // Any other plural noun after a number counts something ("12 buses", "40 runners").
  if (/^[a-z]{3,}s$/.test(w) && !EN_STOP.has(w) && !/ss$/.test(w)) return singular;
  return '';
}

const parseNumber = (digits: string): { number: number; decimals: number; grouped: boolean } => {
  const grouped = digits.includes(',');
  const plain = digits.replace(/,/g, '');
  const dot = plain.indexOf('.');
  return { number: Number(plain), decimals: dot < 0 ? 0 : plain.length - dot - 1, grouped };
};

interface Candidate {
  priority: number;
  f: Figure;
}

/**
 * Finds the figures of one sentence, in order, without overlaps. Numbers that are part of a name
 * or code ("草原110", "8+N", "5G", "COVID-19"), bare numbers without unit, and figures inside
 * 《…》 titles are not figures.
 */
export function extractFigures(sentence: string): Figure[] {
  if (!/[0-9\uff10-\uff19]/.test(sentence)) return []; // most sentences: no digit, nothing to do
  const s = halfWidthDigits(sentence);
  const found: Candidate[] = [];
  // One object shape for every figure (spreading a template per match was the slow part).
  const add = (
    priority: number,
    start: number,
    end: number,
    kind: FigureKind,
    number: number,
    decimals: number,
    value: number,
    parts: Partial<Figure> = {},
  ) => {
    const text = sentence.slice(start, end);
    const f: Figure = {
      text,
      start,
      end,
      kind,
      number,
      decimals,
      value,
      head: parts.head ?? '',
      tail: parts.tail ?? '',
      magnitude: parts.magnitude ?? '',
      approx: parts.approx ?? '',
      unit: parts.unit ?? '',
      suffix: parts.suffix ?? '',
      fullWidth: hasFullWidthDigit(text),
      grouped: parts.grouped ?? false,
      date: parts.date,
      ratio: parts.ratio,
    };
    found.push({ priority, f });
  };

  // Dates, Chinese: 2023年9月27日 or 9月27日.
  for (const m of all(RE.zhDate, s)) {
    const month = Number(m[2]);
    const day = Number(m[3]);
    if (month < 1 || month > 12 || day < 1 || day > DAYS_IN_MONTH[month - 1]!) continue;
    const year = m[1] ? Number(m[1]) : undefined;
    add(0, m.index, m.index + m[0].length, 'date', month * 100 + day, 0, (year ?? 0) * 10000 + month * 100 + day, {
      unit: 'date',
      date: { year, month, day, style: 'zh' },
    });
  }
  // Dates, English: September 27 / 27 September.
  for (const m of all(RE.enMonthDay, s)) {
    const month = monthIndex(m[1]!);
    const day = Number(m[2]);
    if (day < 1 || day > DAYS_IN_MONTH[month - 1]!) continue;
    add(0, m.index, m.index + m[0].length, 'date', month * 100 + day, 0, month * 100 + day, {
      unit: 'date',
      date: { month, day, style: 'en-md' },
    });
  }
  for (const m of all(RE.enDayMonth, s)) {
    const month = monthIndex(m[2]!);
    const day = Number(m[1]);
    if (day < 1 || day > DAYS_IN_MONTH[month - 1]!) continue;
    add(0, m.index, m.index + m[0].length, 'date', month * 100 + day, 0, month * 100 + day, {
      unit: 'date',
      date: { month, day, style: 'en-dm' },
    });
  }
  // Ratios: three parts or more, a decimal part, or "比"/"结构"/"比例" just before ("城乡收入比为2.14:1").
  for (const m of all(RE.ratio, s)) {
    const sep = m[0].includes('：') ? '：' : ':';
    const parts = m[0].split(sep);
    const context = /(比|比例|结构|之比)(为|是|达|达到)?$/.test(s.slice(Math.max(0, m.index - 5), m.index));
    if (parts.length < 3 && !m[0].includes('.') && !context) continue;
    const { number, decimals } = parseNumber(parts[0]!);
    add(0, m.index, m.index + m[0].length, 'ratio', number, decimals, number, {
      unit: `ratio${parts.length}`,
      ratio: { parts, sep },
    });
  }
  // Years before the common era: the figure keeps 公元前, its value is negative (for ordering).
  for (const m of all(RE.bcYear, s)) {
    const year = Number(m[1]);
    add(0, m.index, m.index + m[0].length, 'year', year, 0, -year, { head: '公元前', tail: '年', unit: '年' });
  }
  // Years, Chinese: 2023年, 2023年9月 (the month goes with the year: "____9月" reads badly);
  // not 1980年代, a decade.
  for (const m of all(RE.zhYear, s)) {
    const year = Number(m[1]);
    if (year < 1000 || year > 2100) continue;
    add(1, m.index, m.index + m[0].length, 'year', year, 0, year, {
      tail: sentence.slice(m.index + 4, m.index + m[0].length),
      unit: '年',
    });
  }
  // Percentages: 90%以上, 3个百分点, 90 per cent.
  for (const m of all(RE.percent, s)) {
    const { number, decimals, grouped } = parseNumber(m[1]! + (m[2] ?? ''));
    const numEnd = m.index + m[1]!.length + (m[2]?.length ?? 0);
    const mark = m[3]!.trim();
    const unit = mark === '个百分点' || mark === '‰' ? mark : '%';
    add(2, m.index, m.index + m[0].length, 'percent', number, decimals, number, {
      grouped,
      tail: sentence.slice(numEnd, m.index + m[0].length),
      unit,
      suffix: m[4] ?? '',
    });
  }
  // Ordinals: 第41个, 第3届.
  for (const m of all(RE.ordinal, s)) {
    const number = Number(m[1]);
    add(3, m.index, m.index + m[0].length, 'ordinal', number, 0, number, { head: '第', tail: m[2]!, unit: m[2]! });
  }
  // Counts, Chinese: 2.9万多件, 1000余场次, 3258公里, 3.3万 (magnitude alone), 5年.
  for (const m of all(RE.zhCount, s)) {
    const [whole, digits, fraction = '', space, magnitude = '', approx = '', unit = '', suffix = ''] = m;
    if (!magnitude && !unit) continue;
    if (!unit && approx) continue; // "3万余" with no unit is usually cut off mid-phrase
    if (space && !hasHan(magnitude + unit)) continue;
    if (unit === '年' && s.charAt(m.index + whole.length) === '代') continue; // 1980年代: a decade
    // The second half of a compound time ("4分38秒", "3点40分") is not a figure by itself.
    if (
      (unit === '秒' || unit === '分' || unit === '分钟') &&
      /\d(分|时|小时|点)$/.test(s.slice(Math.max(0, m.index - 3), m.index))
    )
      continue;
    const { number, decimals, grouped } = parseNumber(digits! + fraction);
    const numEnd = m.index + digits!.length + fraction.length;
    add(4, m.index, m.index + whole.length, 'count', number, decimals, number * (ZH_MAGNITUDES[magnitude] ?? 1), {
      grouped,
      tail: sentence.slice(numEnd, m.index + whole.length),
      magnitude,
      approx,
      unit,
      suffix,
    });
  }
  // Numbers, English: $2.8 million, 3,258 km, 893 schools, 1983 (a year when nothing follows).
  for (const m of all(RE.enNumber, s)) {
    const [, currency = '', digits, fraction = '', magnitude = '', word = ''] = m;
    // A letter, code sign or Han character right after the number: part of a name or code
    // ("5G", "8+N"), or a Chinese figure that the patterns above read.
    const after = s.charAt(m.index + (currency + digits! + fraction).length);
    if (/[A-Za-z+\-/%\u3400-\u9fff]/.test(after)) continue;
    const { number, decimals, grouped } = parseNumber(digits! + fraction);
    const unit = word ? englishUnit(word) : '';
    const numStart = m.index + currency.length;
    const numEnd = numStart + digits!.length + fraction.length;
    const dated = /\b(in|by|since|from|until|after|before|during)\s+$/i.test(
      s.slice(Math.max(0, m.index - 8), m.index),
    );
    const isYear =
      !currency &&
      (dated || !unit) &&
      !magnitude &&
      !grouped &&
      !fraction &&
      digits!.length === 4 &&
      number >= 1000 &&
      number <= 2100;
    if (isYear) {
      add(dated ? 0 : 1, m.index, numEnd, 'year', number, 0, number, { unit: '年' });
      continue;
    }
    if (!currency && !magnitude && !unit) continue;
    let end = numEnd;
    if (magnitude) end = s.indexOf(magnitude, end) + magnitude.length;
    if (unit) end = s.indexOf(word, end) + word.length;
    add(4, m.index, end, 'count', number, decimals, number * (EN_MAGNITUDES[magnitude] ?? 1), {
      grouped,
      head: currency,
      tail: sentence.slice(numEnd, end),
      magnitude,
      unit: unit || (currency ? 'money' : ''),
    });
  }

  // Keep the most specific reading of each stretch of text, then drop figures in 《titles》 and
  // the ends of ranges ("10%—20%", "3万至5万场次": blanking one end leaves the other as a hint,
  // and swapping one can make the range run backwards).
  found.sort((a, b) => a.priority - b.priority || a.f.start - b.f.start);
  const kept: Figure[] = [];
  for (const { f: c } of found) if (!kept.some((k) => c.start < k.end && k.start < c.end)) kept.push(c);
  for (let i = kept.length - 1; i >= 0; i--) {
    const c = kept[i]!;
    if (RANGE_AFTER.test(s.slice(c.end, c.end + 4)) || RANGE_BEFORE.test(s.slice(Math.max(0, c.start - 8), c.start)))
      kept.splice(i, 1);
  }
  const titles = sentence.includes('《')
    ? [...sentence.matchAll(/《[^《》]*》/g)].map((t) => [t.index, t.index + t[0].length] as const)
    : [];
  return kept.filter((c) => !titles.some(([a, b]) => c.start >= a && c.end <= b)).sort((a, b) => a.start - b.start);
}

function monthIndex(name: string): number {
  const n = name.toLowerCase().replace(/\.$/, '');
  return MONTHS.findIndex((full) => full.startsWith(n.slice(0, 3))) + 1;
}

/**
 * True when `text` shows the figure's number as a number of its own (not inside a longer one):
 * a stem that blanks "31.09万人" but still reads "31.09" elsewhere gives the answer away.
 */
export function mentionsNumber(text: string, f: Figure): boolean {
  const digits = halfWidthDigits(f.text).match(/\d[\d,]*(?:\.\d+)?/)?.[0];
  if (!digits) return false;
  const plain = halfWidthDigits(text);
  for (let i = plain.indexOf(digits); i >= 0; i = plain.indexOf(digits, i + 1)) {
    const before = plain.charAt(i - 1);
    const after = plain.slice(i + digits.length, i + digits.length + 2);
    if (!/[\d.,]/.test(before) && !/^(\d|[.,]\d)/.test(after)) return true;
  }
  return false;
}

/**
 * Figures that may stand in for each other: same kind, same unit, same magnitude word and head.
 * ("5万余人" and "131万人" are siblings; "990万余人次" is not, it counts visits, not people.)
 */
export const unitClass = (f: Figure): string => `${f.kind}|${f.head}|${f.magnitude}|${f.unit}`;

/** The full format of a figure: its unit class plus its approximation and suffix. */
export const formatClass = (f: Figure): string => [unitClass(f), f.approx, f.suffix].join('|');

/** Writes a number with `decimals` places in the answer's style (grouping, width). */
function formatNumber(n: number, decimals: number, like: Figure): string {
  const scale = 10 ** decimals;
  let s = (Math.round(n * scale) / scale).toFixed(decimals);
  if (like.grouped || (like.head && n >= 1000 && !like.fullWidth) || (like.tail.startsWith(' ') && n >= 10000)) {
    const [int, frac] = s.split('.');
    s = int!.replace(/\B(?=(\d{3})+(?!\d))/g, ',') + (frac ? `.${frac}` : '');
  }
  // Full-width digits keep the answer's own decimal point ("９.８%" has a half-width one).
  return like.fullWidth ? toFullWidthDigits(s).replace(/．/g, like.text.includes('．') ? '．' : '.') : s;
}

/** Renders a date in the answer's style. */
function formatDate(month: number, day: number, like: Figure): string {
  const d = like.date!;
  let s: string;
  if (d.style === 'zh') s = `${d.year !== undefined ? `${d.year}年` : ''}${month}月${day}日`;
  else {
    const name = MONTHS[month - 1]!;
    const written = like.text.match(/[A-Za-z]+/)?.[0] ?? name;
    const shown = written.length <= 4 ? name.slice(0, 3) : name;
    const cap = shown.charAt(0).toUpperCase() + shown.slice(1);
    s = d.style === 'en-md' ? `${cap} ${day}` : `${day} ${cap}`;
  }
  return like.fullWidth ? toFullWidthDigits(s) : s;
}

/**
 * The text of `answer` with its number replaced: same head, tail, decimals, width and grouping,
 * so "2.9万多件" becomes "5.8万多件" and "３２５８公里" becomes "６５１６公里".
 */
export function renderLike(answer: Figure, number: number, decimals = answer.decimals): string {
  if (answer.kind === 'date') return formatDate(Math.floor(number / 100), number % 100, answer);
  return answer.head + formatNumber(number, decimals, answer) + answer.tail;
}

/** A candidate distractor: its text, its number and whether it was synthesised. */
export interface FigureChoice {
  text: string;
  number: number;
  synthesised: boolean;
}

/**
 * All matches of a global pattern, reusing the pattern object (`matchAll` clones it per call,
 * which costs more than the match on short sentences).
 */
function* all(re: RegExp, s: string): Generator<RegExpExecArray> {
  re.lastIndex = 0;
  for (let m = re.exec(s); m; m = re.exec(s)) {
    yield m;
    if (m[0] === '') re.lastIndex++;
  }
}

/** A pool figure with its position on the scale siblings are compared on. */
interface Ranked {
  f: Figure;
  /** log10 of the value for counts (magnitude matters, not difference), else the number. */
  key: number;
  /** First occurrence in the text, to break ties. */
  order: number;
}

const classCache = new WeakMap<readonly Figure[], Map<string, Ranked[]>>();

const scaleKey = (f: Figure) => (f.kind === 'count' ? Math.log10(f.value) : f.number);

/**
 * The pool grouped by unit class, each number once (first occurrence), sorted by scale, computed
 * once per pool: every figure of a 50 000-character text finds its closest siblings here by a
 * binary search instead of scanning its whole class.
 */
function byClass(pool: readonly Figure[]): Map<string, Ranked[]> {
  let groups = classCache.get(pool);
  if (groups) return groups;
  groups = new Map();
  const seen = new Set<string>();
  pool.forEach((f, order) => {
    const cls = unitClass(f);
    if (seen.has(`${cls}#${f.number}`) || !(f.value > 0)) return;
    seen.add(`${cls}#${f.number}`);
    const entry = { f, key: scaleKey(f), order };
    const list = groups!.get(cls);
    if (list) list.push(entry);
    else groups!.set(cls, [entry]);
  });
  for (const list of groups.values()) list.sort((a, b) => a.key - b.key || a.order - b.order);
  classCache.set(pool, groups);
  return groups;
}

/**
 * How far a sibling may be from the answer on its scale, so that distractors are of the answer's
 * magnitude: ~3× for counts, 60 years, for shares 5 points or 60 % of the answer (a 57.0 %
 * share among 5.8 % growth rates stands out), any other.
 */
const reach = (f: Figure) =>
  f.kind === 'count' ? 0.5 : f.kind === 'year' ? 60 : f.kind === 'percent' ? Math.max(5, f.number * 0.6) : Infinity;

/** A figure (or a number written like it) as the give-away detectors see it. */
export function numericOption(f: Figure, number = f.number): NumericOption {
  if (f.kind === 'date') {
    const month = Math.floor(number / 100);
    const day = number % 100;
    return { value: (month - 1) * 31 + day, decimals: 0, intDigits: String(day), formless: true };
  }
  if (f.kind === 'year')
    return { value: f.head ? -number : number, decimals: 0, intDigits: String(number), formless: true };
  return { value: number, decimals: f.decimals, intDigits: Math.trunc(Math.abs(number)).toString() };
}

/** The text of a figure read back as a detector option (for the scorer, which sees only texts). */
export function optionOf(f: Figure): NumericOption {
  return numericOption(f);
}

/**
 * Distractors for a figure, at most `max`: other figures of the same unit class from the text
 * (closest magnitude first; rendered in the answer's format, rounded to its precision), then
 * made-up numbers written alike (see {@link scaledVariants}). Never equal to the answer or to each
 * other, never a text for which `avoid` is true (e.g. a figure the stem shows).
 *
 * With two or more wanted, the set is chosen so that nothing but the text tells the answer: how
 * many distractors lie below the answer is drawn from the answer's text (so the answer is the
 * smallest, the largest or in between about equally often), and a set in which the answer is the
 * centre, the hub of simple multiples or the odd one out in form ({@link giveAways}) is passed
 * over for the next best. With one wanted (a true/false swap), the closest sibling.
 */
export function figureDistractors(
  answer: Figure,
  pool: readonly Figure[],
  avoid: (text: string) => boolean,
  max = 3,
): FigureChoice[] {
  if (answer.kind === 'ratio') return ratioDistractors(answer, avoid, max);
  const seen = new Set<string>([answer.text]);
  const numbers = new Set<number>([answer.number]);
  const candidates: FigureChoice[] = [];
  const consider = (text: string, number: number, synthesised: boolean) => {
    if (seen.has(text) || numbers.has(number) || avoid(text)) return;
    seen.add(text);
    numbers.add(number);
    candidates.push({ text, number, synthesised });
  };
  for (const f of siblings(answer, pool)) {
    if (answer.kind === 'date') {
      consider(renderLike(answer, f.number), f.number, false);
      continue;
    }
    // A sibling written less precisely than the answer ("6万场" next to "14.5万场") would give
    // the answer away by its decimals (skipped in siblings); one written more precisely is
    // rounded to the answer's precision.
    const scale = 10 ** answer.decimals;
    const n = Math.round(f.number * scale) / scale;
    if (n > 0) consider(renderLike(answer, n), n, false);
  }
  for (const v of scaledVariants(answer)) consider(renderLike(answer, v), v, true);
  if (max <= 1) {
    // One swap for a false statement: a figure of the text, else a made-up one clearly apart
    // (a quarter at least: "增加0.9万亩" for 0.8万亩 is a quibble, not a false statement).
    const apart = (c: FigureChoice) =>
      !c.synthesised ||
      answer.kind === 'year' ||
      answer.kind === 'date' ||
      answer.kind === 'ordinal' ||
      Math.abs(c.number - answer.number) >= 0.25 * Math.abs(answer.number);
    return [candidates.find(apart) ?? candidates[0]].filter((c) => c !== undefined).slice(0, max);
  }
  // Three distractors if some three give nothing away, else two; else none (no cloze is better
  // than one a student answers from the options alone).
  for (let k = Math.min(max, candidates.length); k >= 2; k--) {
    const set = chooseSet(answer, candidates, k);
    if (set) return set;
  }
  return [];
}

/** Siblings of the answer in the pool, closest on its scale first, within reach. */
function siblings(answer: Figure, pool: readonly Figure[]): Figure[] {
  const list = answer.value > 0 ? (byClass(pool).get(unitClass(answer)) ?? []) : [];
  const key = scaleKey(answer);
  const limit = reach(answer);
  let hi = 0;
  for (let lo = 0, top = list.length; lo < top; ) {
    const mid = (lo + top) >> 1;
    if (list[mid]!.key < key) lo = mid + 1;
    else top = mid;
    hi = lo;
  }
  let lo = hi - 1;
  const ranked: Figure[] = [];
  while (ranked.length < 8 && (lo >= 0 || hi < list.length)) {
    const left = list[lo];
    const right = list[hi];
    const dl = left ? key - left.key : Infinity;
    const dr = right ? right.key - key : Infinity;
    const next = dl < dr || (dl === dr && left!.order < right!.order) ? left! : right!;
    if (next === left) lo--;
    else hi++;
    if (Math.min(dl, dr) > limit) break;
    const f = next.f;
    if (f.number === answer.number || (answer.kind !== 'date' && f.decimals < answer.decimals)) continue;
    ranked.push(f);
  }
  return ranked;
}

/**
 * Picks `max` of the candidates (figures of the text first, each group closest first): among the
 * sets with no give-away, the one with the fewest made-up numbers, then the one whose number of
 * distractors below the answer is closest to the one drawn, then the earliest. (Figures of the
 * text come first even when they leave the answer in the middle: over a text the answers still
 * spread over the ranks, see rankBias.) Null when every
 * set gives the answer away.
 */
function chooseSet(answer: Figure, candidates: FigureChoice[], max: number): FigureChoice[] | null {
  const pool = candidates.slice(0, 9);
  const me = numericOption(answer);
  const values = pool.map((c) => numericOption(answer, c.number));
  const isBelow = values.map((v) => v.value < me.value);
  const made = pool.map((c) => c.synthesised);
  const wanted = hash53(answer.text, 11) % (max + 1);
  // The least cost any set can have: as many made-up numbers as the text's figures fall short.
  const floor = 10 * Math.max(0, max - made.filter((m) => !m).length);
  let best: number[] | null = null;
  let bestCost = Infinity;
  for (const set of combinations(pool.length, max)) {
    let below = 0;
    let synthesised = 0;
    for (const i of set) {
      if (isBelow[i]) below++;
      if (made[i]) synthesised++;
    }
    const cost = synthesised * 10 + Math.abs(below - wanted);
    if (cost >= bestCost) continue;
    const options = set.map((i) => values[i]!);
    if (
      answer.kind === 'count' &&
      crowded(
        me,
        options,
        set.map((i) => pool[i]!),
      )
    )
      continue;
    if (giveAways([me, ...options], 0).length) continue;
    best = [...set];
    bestCost = cost;
    if (cost === floor) break;
  }
  return best ? best.map((i) => pool[i]!) : null;
}

/**
 * True when a made-up option sits within 3 % of another (2984人 next to 2986人): a near twin
 * reads as a copy of the other, telling one of the two is the answer.
 */
function crowded(me: NumericOption, others: NumericOption[], set: FigureChoice[]): boolean {
  const all = [me, ...others];
  for (let i = 1; i < all.length; i++) {
    if (!set[i - 1]!.synthesised) continue;
    for (let j = 0; j < all.length; j++)
      if (j !== i && Math.abs(all[i]!.value - all[j]!.value) < 0.03 * Math.abs(all[j]!.value)) return true;
  }
  return false;
}

/** The combinations of `k` of the indices 0…n−1, earlier indices first; one array, reused. */
function* combinations(n: number, k: number): Generator<number[]> {
  if (k > n) return;
  const at = Array.from({ length: k }, (_, i) => i);
  for (;;) {
    yield at;
    let i = k - 1;
    while (i >= 0 && at[i] === n - k + i) i--;
    if (i < 0) return;
    at[i]!++;
    for (let j = i + 1; j < k; j++) at[j] = at[j - 1]! + 1;
  }
}

/**
 * Distractors of a ratio: the same parts in another order when there are three or more
 * ("11.5:40.0:48.5" for "11.5:48.5:40.0": the parts still add up, only the order is wrong), else
 * the part that is not 1 moved up or down ("2.41:1", "1.92:1" for "2.14:1").
 */
function ratioDistractors(answer: Figure, avoid: (text: string) => boolean, max: number): FigureChoice[] {
  const { parts, sep } = answer.ratio!;
  const texts: string[] = [];
  if (parts.length >= 3) {
    const perms = permutations(parts).map((p) => p.join(sep));
    for (const t of perms.sort((a, b) => hash53(a, 3) - hash53(b, 3))) texts.push(t);
  } else {
    const i = parts[0] === '1' ? 1 : 0;
    const part = parts[i]!;
    const decimals = part.includes('.') ? part.length - part.indexOf('.') - 1 : 0;
    const n = Number(part);
    const digits = part.replace('.', '');
    // The same digits swapped (2.14 → 2.41, 1.24) first, then small steps.
    const swapped = permutations([...digits])
      .map((d) => d.join(''))
      .filter((d) => !d.startsWith('0') || d.length === 1)
      .map((d) => (decimals ? `${d.slice(0, d.length - decimals)}.${d.slice(d.length - decimals)}` : d));
    const stepped = [0.9, 1.1, 0.8, 1.2].map((k) => (n * k).toFixed(decimals));
    for (const t of [...swapped, ...stepped]) {
      const other = [...parts];
      other[i] = t;
      if (Number(t) > 0 && !t.startsWith('.')) texts.push(other.join(sep));
    }
  }
  const out: FigureChoice[] = [];
  const width = (t: string) => (answer.fullWidth ? toFullWidthDigits(t) : t);
  for (const t of texts) {
    const text = width(t);
    if (out.length >= max || text === answer.text || out.some((o) => o.text === text) || avoid(text)) continue;
    out.push({ text, number: Number(t.split(sep)[0]), synthesised: parts.length < 3 });
  }
  return out;
}

function permutations<T>(items: readonly T[]): T[][] {
  if (items.length <= 1) return [[...items]];
  const out: T[][] = [];
  items.forEach((x, i) => {
    for (const rest of permutations([...items.slice(0, i), ...items.slice(i + 1)])) out.push([x, ...rest]);
  });
  return out.slice(0, 120);
}

/**
 * Plausible made-up numbers for a figure, closest first, written as precisely as the answer and
 * no rounder or less round (300 gets 200, 400, 500; 412 gets 356, 469…): steps of about a fifth
 * of the answer for counts and shares, with a little jitter so they do not form a visible
 * ladder; nearby years, ordinals and dates. Never the answer, never zero or negative, never a
 * share above 100 % (99.9 % with 以上).
 */
export function scaledVariants(answer: Figure): number[] {
  const n = answer.number;
  const seed = hash53(answer.text, 5);
  let raw: number[];
  switch (answer.kind) {
    case 'year':
      raw = [1, -1, 2, -2, 3, -3, 5, -5, 4, -4, 7, -7].map((k) => n + k);
      break;
    case 'ordinal':
      raw = [1, -1, 2, -2, 3, -3, 4, 5].map((k) => n + k);
      break;
    case 'date': {
      const month = Math.floor(n / 100);
      const day = n % 100;
      const ok = (m: number, d: number) => m >= 1 && m <= 12 && d >= 1 && d <= DAYS_IN_MONTH[m - 1]!;
      raw = [
        [month, day + 1],
        [month, day - 1],
        [month, day + 3],
        [month, day - 4],
        [month, day + 10],
        [month, day - 10],
        [month + 1, day],
        [month - 1, day],
        [month, day + 7],
        [month, day - 7],
      ]
        .filter(([m, d]) => ok(m!, d!))
        .map(([m, d]) => m! * 100 + d!);
      break;
    }
    default: {
      // The place of the answer's last written digit: 300 → 100, 412 → 1, 42.36 → 0.01.
      let place = 10 ** -answer.decimals;
      while (place * 10 <= n && Math.abs(Math.round(n / (place * 10)) * place * 10 - n) < place / 1000) place *= 10;
      const rel = [0.1, 0.12, 0.15, 0.18][seed % 4]!;
      const step = Math.max(place, Math.round((n * rel) / place) * place);
      raw = [];
      for (let k = 1; k <= 5; k++) {
        const jitter = step >= 5 * place ? ((hash53(`${answer.text}#${k}`) % 5) - 2) * place : 0;
        raw.push(n + k * step + jitter, n - k * step - jitter);
      }
      const scale = 10 ** answer.decimals;
      const round = (x: number) => Math.round(x * scale) / scale;
      const lastDigit = (x: number) => Math.round(x / place) % 10;
      const cap = answer.kind === 'percent' && n <= 100 ? (answer.suffix === '以上' ? 99.9 : 100) : Infinity;
      raw = raw
        .map(round)
        .filter((x) => x <= cap)
        // As round as the answer, no rounder: 300 → 200, 400 but not 1000; 412 → 469 but not 470.
        .filter((x) => lastDigit(x) !== 0 || lastDigit(n) === 0);
    }
  }
  const out: number[] = [];
  for (const x of raw)
    if (x > 0 && x !== n && !out.includes(x) && Number.isFinite(x) && !(answer.magnitude && x < 1 && n >= 1))
      out.push(x);
  return out;
}
