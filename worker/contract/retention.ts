/**
 * How long students' results are kept, shared by the Worker (the daily retention run,
 * worker/lib/retention.ts) and the teacher's account page, which shows and sets the period.
 */

/** Days a session's students and answers are kept after its last activity: the default, and the range a teacher may choose. */
export const KEEP_RESULTS_DAYS = { default: 365, min: 7, max: 3 * 365 } as const;

/** A quick session opened without an account is deleted whole this many days after its last activity (its teacher link has expired by then). */
export const QUICK_SESSION_DAYS = 90;

/** An image uploaded for a question that no saved question shows is deleted this many hours after its upload. */
export const UNATTACHED_IMAGE_HOURS = 24;

/** `GET` and `PUT /api/auth/account`: the account's settings. */
export interface AccountSettings {
  keepResultsDays: number;
}

/** A laptop link token (worker/routes/link-tokens.ts) works this many days after it is made; the daily run then deletes it. */
export const LINK_TOKEN_DAYS = 365;
