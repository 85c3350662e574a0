/**
 * Nicknames: the only thing a student tells us. Rules against hiding, impersonating and abuse:
 * 1–20 visible characters, nothing invisible, compared folded (NFKC and case, so "ＢＯＢ" is "bob"),
 * and not containing a blocked word (a small list, which each teacher can extend).
 */
import * as z from 'zod';
import { nicknameKey } from '../contract';

// Control characters, bidirectional overrides and invisible spaces would let a name hide or impersonate.
const hidden =
  /[\p{Cc}\u00AD\u034F\u115F\u1160\u17B4\u17B5\u180E\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\u3164\uFE00-\uFE0F\uFEFF\uFFA0]/u;

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
      .refine((s) => !hidden.test(s), 'A nickname cannot contain control or invisible characters.'),
  );

/**
 * Words no nickname may contain, folded. Kept short on purpose: long lists block innocent names;
 * teachers add what their class needs (`PUT /api/auth/blocklist`).
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
  '你妈',
  '婊子',
  '杂种',
  '贱人',
];

/** True when the folded nickname contains a blocked word (spaces and punctuation ignored, so "f u c k" counts). */
export function isBlocked(key: string, extra: readonly string[] = []): boolean {
  const squeezed = key.replace(/[\s\p{P}\p{S}_]/gu, '');
  return [...DEFAULT_BLOCKED_WORDS, ...extra].some((w) => {
    const word = nicknameKey(w).replace(/[\s\p{P}\p{S}_]/gu, '');
    return word.length > 0 && squeezed.includes(word);
  });
}
