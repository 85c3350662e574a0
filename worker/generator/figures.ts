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
import { halfWidthDigits, hasFullWidthDigit, hasHan, toFullWidthDigits } from './util';

/** What a figure states; distractors are only drawn from figures of the same kind and unit. */
export type FigureKind = 'year' | 'date' | 'percent' | 'ordinal' | 'count';

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
  percent: /(?<![\d.,A-Za-z+\-/])(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?(\s?%|\s?per ?cent\b|个百分点)(以上|以下|左右|以内)?/g,
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
    const unit = m[3]!.trim() === '个百分点' ? '个百分点' : '%';
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
    const isYear =
      !currency &&
      !magnitude &&
      !unit &&
      !grouped &&
      !fraction &&
      digits!.length === 4 &&
      number >= 1000 &&
      number <= 2100;
    if (isYear) {
      add(1, m.index, numEnd, 'year', number, 0, number, { unit: '年' });
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
  return like.fullWidth ? toFullWidthDigits(s) : s;
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

/** How far a sibling may be from the answer on its scale: ~16× for counts, 60 years, any other. */
const reach = (f: Figure) => (f.kind === 'count' ? 1.2 : f.kind === 'year' ? 60 : Infinity);

/**
 * Distractors for a figure, at most `max`: first other figures of the same unit class from the
 * text (closest magnitude first; rendered in the answer's format, rounded to its precision),
 * then scaled variants. Never equal to the answer, never equal to each other, never a text for
 * which `avoid` is true (e.g. a figure the stem shows).
 */
export function figureDistractors(
  answer: Figure,
  pool: readonly Figure[],
  avoid: (text: string) => boolean,
  max = 3,
): FigureChoice[] {
  const out: FigureChoice[] = [];
  // Every choice is rendered in the answer's own format, so plain text equality is enough here.
  const seen = new Set<string>([answer.text]);
  const numbers = new Set<number>([answer.number]);
  const take = (text: string, number: number, synthesised: boolean) => {
    if (out.length >= max || seen.has(text) || numbers.has(number) || avoid(text)) return;
    seen.add(text);
    numbers.add(number);
    out.push({ text, number, synthesised });
  };
  // The closest siblings first: walk outwards from the answer's place in its sorted class.
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
  const keep = max + 5;
  while (ranked.length < keep && (lo >= 0 || hi < list.length)) {
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
  for (const f of ranked) {
    if (out.length >= max) break;
    if (answer.kind === 'date') {
      take(renderLike(answer, f.number), f.number, false);
      continue;
    }
    // A sibling written less precisely than the answer ("6万场" next to "14.5万场") would give
    // the answer away by its decimals (skipped above); one written more precisely is rounded to
    // the answer's precision.
    const scale = 10 ** answer.decimals;
    const n = Math.round(f.number * scale) / scale;
    if (n <= 0) continue;
    take(renderLike(answer, n), n, false);
  }
  if (out.length < max)
    for (const v of scaledVariants(answer)) if (out.length < max) take(renderLike(answer, v), v, true);
  return out;
}

/**
 * Plausible made-up numbers for a figure, in order of preference: ×2, ×0.5, ±10 % and further
 * multiples for counts (rounded to the answer's precision); nearby years, ordinals and dates;
 * ±5 to ±20 points for percentages (never above 100 % when the answer is a share, never 100 %
 * "以上"). Never the answer itself, never zero or negative.
 */
export function scaledVariants(answer: Figure): number[] {
  const n = answer.number;
  const scale = 10 ** answer.decimals;
  const round = (x: number) => Math.round(x * scale) / scale;
  let raw: number[];
  switch (answer.kind) {
    case 'year':
      raw = [n - 1, n + 1, n - 2, n + 2, n - 3, n + 3];
      break;
    case 'ordinal':
      raw = [n - 1, n + 1, n + 2, n - 2, n + 3];
      break;
    case 'date': {
      const month = Math.floor(n / 100);
      const day = n % 100;
      const ok = (m: number, d: number) => m >= 1 && m <= 12 && d >= 1 && d <= DAYS_IN_MONTH[m - 1]!;
      raw = [
        [month + 1, day],
        [month - 1, day],
        [month, day + 10],
        [month, day - 10],
        [month, day + 1],
        [month, day - 1],
      ]
        .filter(([m, d]) => ok(m!, d!))
        .map(([m, d]) => m! * 100 + d!);
      break;
    }
    case 'percent': {
      const cap = n <= 100 ? (answer.suffix === '以上' ? 99.9 : 100) : Infinity;
      raw = [n - 10, n + 5, n - 20, n - 5, n + 10, n * 0.5, n * 2].map(round).filter((x) => x <= cap);
      break;
    }
    default:
      raw = [n * 2, n * 0.5, n * 1.1, n * 0.9, n * 3, n * 1.5, n * 0.75, n + 1, n + 2, n - 1].map(round);
  }
  // A variant must look as precise as the answer: "29.0万" next to "14.5万" would not, nor would
  // "0.6万" next to "1.2万" (nobody writes that).
  const lastDigit = (x: number) => Math.round(x * scale) % 10;
  const looksExact = (x: number) => answer.decimals === 0 || lastDigit(x) !== 0 || lastDigit(n) === 0;
  const out: number[] = [];
  for (const x of raw)
    if (
      x > 0 &&
      x !== n &&
      !out.includes(x) &&
      Number.isFinite(x) &&
      looksExact(x) &&
      !(answer.magnitude && x < 1 && n >= 1)
    )
      out.push(x);
  return out;
}
