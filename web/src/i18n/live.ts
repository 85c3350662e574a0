/**
 * Texts of the live game (the projector and the student's live screen), in the lazily loaded
 * live chunks so the student entry chunk does not carry them. Texts the self-paced screens
 * already have (progress, score, verdict words, table columns) are taken from ./lang's
 * `strings()` rather than repeated here.
 */
import { lang } from './lang';
import { en, enLiveErrors, type LiveStrings } from './live.en';
import { zh, zhLiveErrors } from './live.zh';
import type { LiveErrorCode } from '../../../worker/contract';

/** The live dictionary of the current interface language; call it in `render()`. */
export const liveStrings = (): LiveStrings => (lang() === 'zh' ? zh : en);

const errors: Record<'en' | 'zh', Record<LiveErrorCode, string>> = { en: enLiveErrors, zh: zhLiveErrors };

/** A live-room refusal as text in the interface language (a code this page does not know gets a general line). */
export const liveError = (code: LiveErrorCode): string => errors[lang()][code] ?? errors[lang()].internal;
