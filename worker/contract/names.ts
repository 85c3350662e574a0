/** How names are compared, the same on the server and in the browser. */

/**
 * Folds a nickname or roster name so that names differing only in width, case or spacing are the
 * same name ("ＢＯＢ" is "bob"): nicknames clash, and a typed name finds its roster name, folded.
 */
export const nicknameKey = (nickname: string): string => nickname.normalize('NFKC').toLowerCase().replace(/\s+/g, ' ');
