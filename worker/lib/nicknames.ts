/**
 * Nicknames: the only thing a student tells us. Rules against hiding, impersonating and abuse,
 * without refusing harmless names:
 * - 1–20 visible characters: no control, format or invisible characters (a zero-width joiner only
 *   inside an emoji, as in a family emoji), no private-use, unassigned or lone surrogate code points,
 *   no pile of combining marks;
 * - compared by their {@link nameKey}, a confusable skeleton (Unicode TR39), so "Вob" with a
 *   Cyrillic В cannot sit next to "Bob", nor 張三 next to 张三;
 * - no blocked word (a short list each teacher can extend): Latin words as whole words (so
 *   "Scunthorpe" and "shitake" pass), Chinese words anywhere in the name.
 */
import * as z from 'zod';
import { CONFUSABLES, TRADITIONAL_TO_SIMPLIFIED } from './name-tables';

/** A zero-width joiner between two pictographs (skin tones and VS16 allowed before it), as in 👨‍👩‍👧. */
const EMOJI_JOINER = /(?<=\p{Extended_Pictographic}[\u{1F3FB}-\u{1F3FF}\uFE0F]?)\u200D(?=\p{Extended_Pictographic})/gu;
/** The emoji presentation selector after a pictograph (❤️). */
const EMOJI_SELECTOR = /(?<=\p{Extended_Pictographic})\uFE0F/gu;
/**
 * What lets a name hide or impersonate: control and format characters (bidirectional overrides,
 * zero-width spaces, tags), private-use, unassigned and surrogate code points, line separators, and
 * the blanks that are letters or marks (Hangul fillers, braille blank, grapheme joiner, variation selectors).
 */
const HIDDEN =
  /[\p{Cc}\p{Cf}\p{Co}\p{Cn}\p{Cs}\p{Zl}\p{Zp}\u034F\u115F\u1160\u17B4\u17B5\u180E\u2800\u3164\uFE00-\uFE0F\uFFA0]/u;
/** More combining marks in a row than any script needs ("Zalgo" text runs over the lines around it). */
const MARK_PILE = /\p{M}{4,}/u;

/** The first character that may not be in a nickname, or null. */
export function hiddenCharacter(name: string): string | null {
  const visible = name.replace(EMOJI_JOINER, '').replace(EMOJI_SELECTOR, '');
  return HIDDEN.exec(visible)?.[0] ?? null;
}

/** A nickname: 1–20 characters after trimming, nothing invisible. */
export const nicknameSchema = z
  .string()
  .max(200)
  .transform((s) => s.normalize('NFC').trim())
  .pipe(
    z
      .string()
      .min(1, 'Type a nickname.')
      .refine((s) => [...s].length <= 20, 'A nickname has at most 20 characters.')
      .refine((s) => hiddenCharacter(s) === null, 'A nickname cannot contain control or invisible characters.')
      .refine((s) => !MARK_PILE.test(s.normalize('NFD')), 'A nickname cannot stack accents on one letter.'),
  );

const table = (packed: string) =>
  new Map(
    packed.split('\n').map((entry) => {
      const [from, ...to] = [...entry];
      return [from!, to.join('')] as const;
    }),
  );
/** Built on first use: a Worker that never sees a nickname does not pay for them. */
let tables: { confusable: Map<string, string>; simplified: Map<string, string> } | null = null;

/**
 * The key names are compared by (and stored by, in `participants.nickname_key`): width and case
 * folded (NFKC), accents stripped, traditional characters made simplified, and every character
 * replaced by its TR39 prototype, then folded again. Names with the same key look alike.
 */
export function nameKey(name: string): string {
  tables ??= { confusable: table(CONFUSABLES), simplified: table(TRADITIONAL_TO_SIMPLIFIED) };
  const { confusable, simplified } = tables;
  // Prototypes are listed per case: a capital is folded first when its small letter is Latin or
  // has a prototype of its own (I → i, not l), else mapped first (Cyrillic В → B → b).
  const stripped = name.normalize('NFKC').normalize('NFD').replace(/\p{M}/gu, '');
  let key = '';
  for (const c of stripped) {
    const simple = simplified.get(c) ?? c;
    const small = simple.toLowerCase();
    key +=
      small < '\u0080' || confusable.has(small) ? (confusable.get(small) ?? small) : (confusable.get(simple) ?? simple);
  }
  return key.normalize('NFKC').toLowerCase().replace(/\s+/g, ' ').trim();
}

/**
 * Words no nickname may contain. Kept short on purpose: long lists block innocent names; teachers
 * add what their class needs (`PUT /api/auth/blocklist`).
 */
export const DEFAULT_BLOCKED_WORDS = [
  'fuck',
  'shit',
  'bitch',
  'cunt',
  'nigger',
  'faggot',
  '傻逼',
  '傻b',
  '操你',
  '草泥马',
  '去死',
  '他妈的',
  '你妈的',
  '婊子',
  '杂种',
  '贱人',
];

/** Endings that keep a Latin word what it was ("shits", "fucker", "shithead"). */
const ENDINGS = new Set(['s', 'es', 'er', 'ers', 'ing', 'ed', 'y', 'ty', 'head', 'face', 'hole', 'off', 'you', 'u']);
const squeeze = (s: string) => s.replace(/[\s\p{P}\p{S}_]/gu, '');
/** Letters said longer ("fuuuck") are the same word. */
const runsOnce = (s: string) => s.replace(/(.)\1+/gu, '$1');
const latin = /^[a-z0-9]+$/;

/**
 * The name's Latin words: runs of letters, and runs of single letters spelled apart
 * ("f u c k", "f.u.c.k") joined.
 */
function words(key: string): string[] {
  const parts = key.split(/[^\p{L}]+/u).filter(Boolean);
  const joined: string[] = [];
  let run = '';
  for (const p of parts) {
    if ([...p].length === 1) run += p;
    else if (run) (joined.push(run), (run = ''));
  }
  if (run) joined.push(run);
  // The whole name run together too: "pika chu" is "pikachu", "shit ty" is "shitty".
  return [...parts, ...joined, parts.join('')].map(runsOnce);
}

/** True when the nickname contains a blocked word (the defaults, and the teacher's `extra` words). */
export function isBlocked(nickname: string, extra: readonly string[] = []): boolean {
  const key = nameKey(nickname);
  const squeezed = squeeze(key);
  const own = words(key);
  return [...DEFAULT_BLOCKED_WORDS, ...extra].some((w) => {
    let word = squeeze(nameKey(w));
    if (!word) return false;
    if (!latin.test(word)) return squeezed.includes(word);
    word = runsOnce(word);
    return own.some((t) => t === word || (t.startsWith(word) && ENDINGS.has(t.slice(word.length))));
  });
}
