/**
 * The nickname rules as a table: names a class really uses are accepted, names that hide,
 * impersonate or insult are refused, and look-alikes share one key. The join route's tests
 * (test/worker/codes*.test.ts) check the same rules through the API.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { isBlocked, nameKey, nicknameSchema } from '../../worker/lib/nicknames';
import { nameTables, TABLES_FILE } from '../../scripts/name-tables';

/** Accepted: valid and not blocked. */
const ACCEPTED = [
  'Amy',
  'Ben Li',
  '张伟',
  '王小明',
  '巴特尔',
  '乌兰图雅',
  'Сарангэрэл',
  'Ölziibat',
  'José',
  'Zoë',
  'Nguyễn Văn An',
  'Scunthorpe',
  'shitake',
  'Shiitake',
  'cocktail',
  'Dickens',
  'assassin',
  'Matsushita',
  'bass player',
  '你妈妈好',
  '我妈说',
  '死神来了',
  '👨‍👩‍👧',
  '👍🏽',
  '❤️ 小红',
  '🇨🇳 Li',
  'Amy-2',
  "O'Brien",
  'A.B.',
  '小明 (2)',
  'ᠪᠠᠲᠤ',
  'さくら',
  '김민준',
  'Ивана',
  'Λάμπρος',
];

/** Refused, with the reason. */
const REFUSED: [string, 'invalid' | 'blocked'][] = [
  ['', 'invalid'],
  ['   ', 'invalid'],
  ['x'.repeat(21), 'invalid'],
  ['a\u0000b', 'invalid'],
  ['a\u202Eb', 'invalid'],
  ['a\u200Bb', 'invalid'],
  ['a\u200Db', 'invalid'],
  ['a\u2066b', 'invalid'],
  ['a\u00ADb', 'invalid'],
  ['a\uFEFFb', 'invalid'],
  ['\u2800', 'invalid'],
  ['a\u2800b', 'invalid'],
  ['\u3164', 'invalid'],
  ['a\uE000b', 'invalid'],
  ['a\u{F0000}b', 'invalid'],
  ['a\uD800b', 'invalid'],
  ['a\u0378b', 'invalid'],
  ['🏴\u{E0067}\u{E0062}\u{E0073}\u{E0063}\u{E0074}\u{E007F}', 'invalid'],
  ['a\u{E0041}', 'invalid'],
  ['a\u2028b', 'invalid'],
  ['Z\u0301\u0302\u0303\u0304algo', 'invalid'],
  ['a\uFE0Fb', 'invalid'],
  ['fuck', 'blocked'],
  ['FUCKER', 'blocked'],
  ['f u c k', 'blocked'],
  ['f.u.c.k', 'blocked'],
  ['ｆｕｃｋ', 'blocked'],
  ['fսck', 'blocked'],
  ['fuuuck', 'blocked'],
  ['shithead', 'blocked'],
  ['xX_bitch_Xx', 'blocked'],
  ['Bitches', 'blocked'],
  ['傻逼', 'blocked'],
  ['大傻逼', 'blocked'],
  ['他妈的', 'blocked'],
  ['他媽的', 'blocked'],
  ['你妈的', 'blocked'],
  ['草泥马', 'blocked'],
  ['婊子', 'blocked'],
  ['操你', 'blocked'],
  ['去 死', 'blocked'],
  ['賤人', 'blocked'],
];

const valid = (name: string) => nicknameSchema.safeParse(name).success;

describe('nicknames', () => {
  it.each(ACCEPTED)('accepts %s', (name) => {
    expect(valid(name)).toBe(true);
    expect(isBlocked(nicknameSchema.parse(name))).toBe(false);
  });

  it.each(REFUSED)('refuses %j (%s)', (name, why) => {
    if (why === 'invalid') expect(valid(name)).toBe(false);
    else {
      expect(valid(name)).toBe(true);
      expect(isBlocked(nicknameSchema.parse(name))).toBe(true);
    }
  });

  it('holds at least 50 names', () => {
    expect(ACCEPTED.length + REFUSED.length).toBeGreaterThanOrEqual(50);
  });

  it("blocks a teacher's own words, folded the same way", () => {
    expect(isBlocked('Pikachu', ['pikachu'])).toBe(true);
    expect(isBlocked('pika chu 2', ['Pikachu'])).toBe(true);
    expect(isBlocked('臭蟲', ['臭虫'])).toBe(true);
    expect(isBlocked('Pichu', ['pikachu'])).toBe(false);
  });

  it('gives look-alikes one key (TR39 skeleton, accents, width, case, traditional characters)', () => {
    const same: [string, string][] = [
      ['Bob', 'Вob'],
      ['Bob', 'ＢＯＢ'],
      ['bob', 'b0b'],
      ['Amy Li', 'amy  li'],
      ['Amy Li', 'AMY LI'],
      ['José', 'Jose'],
      ['张三', '張三'],
      ['paypal', 'pаypаl'],
      ['Bill', 'Bi11'],
      ['Tom', 'Torn'],
    ];
    for (const [a, b] of same) expect(nameKey(b), `${a} ~ ${b}`).toBe(nameKey(a));
    const different: [string, string][] = [
      ['Amy', 'Ann'],
      ['张三', '张山'],
      ['Li', 'Lu'],
    ];
    for (const [a, b] of different) expect(nameKey(a)).not.toBe(nameKey(b));
  });

  it('ships the tables that `npm run names:tables` writes from the packages', () => {
    expect(readFileSync(TABLES_FILE, 'utf8')).toBe(nameTables());
  });
});
