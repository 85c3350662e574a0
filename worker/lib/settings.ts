/** Quiz and session settings: one schema for the quiz builder and for opening a session. */
import * as z from 'zod';
import { DEFAULT_SETTINGS, FEEDBACKS, type QuizSettings } from '../contract';

/** 0 (untimed) or 5–600 seconds per question. */
export const timeLimitSec = z
  .number()
  .int()
  .refine((n) => n === 0 || (n >= 5 && n <= 600), 'Time per question is 0 (untimed) or 5 to 600 seconds.');

/** Every setting, each optional, so that a request can override some and inherit the rest. */
export const settingsFields = {
  timeLimitSec: timeLimitSec.optional(),
  shuffleQuestions: z.boolean().optional(),
  shuffleOptions: z.boolean().optional(),
  feedback: z.enum(FEEDBACKS).optional(),
  autoAdvance: z.boolean().optional(),
  showLeaderboard: z.boolean().optional(),
  lang: z.enum(['zh', 'en', 'both']).optional(),
  partialCredit: z.boolean().optional(),
};

/** Layers settings: later layers override earlier ones where they say something. */
export function mergeSettings(
  ...layers: Partial<{ [K in keyof QuizSettings]: QuizSettings[K] | undefined }>[]
): QuizSettings {
  const out = { ...DEFAULT_SETTINGS };
  for (const layer of layers)
    for (const [k, v] of Object.entries(layer)) if (v !== undefined) (out as Record<string, unknown>)[k] = v;
  return out;
}
