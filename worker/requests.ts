/**
 * Bodies of the requests the web app sends, one zod schema each: the routes validate with them
 * and the web app types what it sends with `z.input` of the same schema (imported as types only,
 * so zod never reaches the browser). A field the server accepts cannot go missing on the client.
 */
import * as z from 'zod';
import {
  IMAGE_LIMITS,
  KEEP_RESULTS_DAYS,
  MAX_CONTEST_PLAYERS,
  MAX_GENERATE_CHARS,
  MAX_ROOM_PLAYERS,
  MAX_SEATS_PER_NETWORK,
  MAX_TEAMS,
  MIN_CONTEST_PLAYERS,
  MIN_TEAMS,
  QUESTION_TYPES,
  TIME_FACTORS,
  TOPICS,
} from './contract';
import { nicknameSchema } from './lib/nicknames';
import { isCommonPassword, MIN_PASSWORD_LENGTH } from './lib/common-passwords';
import { settingsFields } from './lib/settings';
import { jsonRecord } from './questions/schema';
import { isTimeZone } from './reports/local-time';

/** Ids of sessions, quizzes, classes, participants and roster entries. */
export const recordId = z.string().regex(/^[A-Za-z0-9_-]{8,32}$/);
/** A moment in epoch milliseconds. */
const time = z.number().int().min(0).max(8_640_000_000_000);
const sessionTitle = z.string().trim().min(1, 'Give the session a title.').max(80);
const maxPlayers = z.number().int().min(1).max(MAX_ROOM_PLAYERS);
/** The most students who may join from one network address; above `maxPlayers` it simply never binds. */
const seatsPerNetwork = z.number().int().min(1).max(MAX_SEATS_PER_NETWORK);

// Students -----------------------------------------------------------------------------------

/**
 * `POST /api/codes/:code/participants`: a nickname of the student's own, or, in a session of a
 * class with a roster, the roster name they picked (its id).
 */
export const joinBody = z
  .strictObject({
    nickname: nicknameSchema.optional(),
    rosterId: recordId.optional(),
    /** The browser's own random id, kept on the device: tells the teacher when one device holds several seats. */
    device: z
      .string()
      .regex(/^[A-Za-z0-9_-]{16,64}$/)
      .optional(),
  })
  .superRefine((b, ctx) => {
    // Neither is a missing nickname (what the plain join form lacks); both is one too many.
    if (b.nickname === undefined && b.rosterId === undefined)
      ctx.addIssue({
        code: 'invalid_type',
        expected: 'string',
        input: undefined,
        path: ['nickname'],
        message: 'Type a nickname.',
      });
    else if (b.nickname !== undefined && b.rosterId !== undefined)
      ctx.addIssue({ code: 'custom', path: ['rosterId'], message: 'Send a nickname or a roster name, not both.' });
  });

/** `POST /api/play/answers`. */
export const answerBody = z.strictObject({
  questionId: z.string().min(1).max(64),
  /** The answer, shaped by the question's type; null when time ran out without one. */
  response: z.unknown().refine((r) => r !== undefined, 'Send a response, or null when time ran out.'),
});

// Sessions -----------------------------------------------------------------------------------

/** `POST /api/sessions`: a quick session drawn from the bank, or a signed-in teacher's quiz. */
export const createSessionBody = z
  .strictObject({
    title: sessionTitle,
    mode: z.enum(['self', 'live']).default('self'),
    /** Play a saved quiz (signed-in teachers); otherwise questions are drawn from the bank. */
    quizId: recordId.optional(),
    classId: recordId.optional(),
    /** Topics to draw from; empty means every topic. */
    topics: z.array(z.enum(TOPICS)).max(TOPICS.length).default([]),
    /** Question types to draw from; empty means every type. */
    types: z.array(z.enum(QUESTION_TYPES)).max(QUESTION_TYPES.length).default([]),
    /** Difficulties to draw from; empty means every difficulty. */
    difficulties: z
      .array(z.union([z.literal(1), z.literal(2), z.literal(3)]))
      .max(3)
      .default([]),
    /** How many questions; null means every matching question. */
    count: z.number().int().min(1).max(200).nullable().default(null),
    opensAt: time.nullable().default(null),
    closesAt: time.nullable().default(null),
    /** The most students who may join (default 200). */
    maxPlayers: maxPlayers.default(200),
    /**
     * A contest: a live game for this many students (up to 20 000), spread over live rooms of at most
     * 500 each (`worker/live/contest.ts`); the session then takes this many students.
     */
    contestPlayers: z.number().int().min(MIN_CONTEST_PLAYERS).max(MAX_CONTEST_PLAYERS).optional(),
    /** Team mode for a live game: students are placed in this many teams (2 to 8); 0 plays alone. */
    teams: z
      .number()
      .int()
      .refine((n) => n === 0 || (n >= MIN_TEAMS && n <= MAX_TEAMS), {
        message: `Choose no teams, or ${MIN_TEAMS} to ${MAX_TEAMS} teams.`,
      })
      .default(0),
    /** The most students who may join from one network address (default 80: a class passes, a bot flood does not). */
    seatsPerNetwork: seatsPerNetwork.default(80),
    /** With a class that has a roster: students not on it may join with a nickname of their own. */
    allowGuests: z.boolean().default(false),
    ...settingsFields,
  })
  .refine((b) => b.opensAt === null || b.closesAt === null || b.closesAt > b.opensAt, {
    message: 'The closing time must come after the opening time.',
    path: ['closesAt'],
  })
  .refine((b) => b.contestPlayers === undefined || b.mode === 'live', {
    message: 'A contest is a live game: choose the live mode.',
    path: ['contestPlayers'],
  })
  .refine((b) => b.teams === 0 || b.mode === 'live', {
    message: 'Teams play a live game: choose the live mode.',
    path: ['teams'],
  })
  // A contest's students are spread over rooms that rank them by score alone.
  .refine((b) => b.teams === 0 || b.contestPlayers === undefined, {
    message: 'A contest has no teams: choose teams or a contest, not both.',
    path: ['teams'],
  });

/** `PATCH /api/sessions/:id`. */
export const patchSessionBody = z
  .strictObject({
    title: sessionTitle.optional(),
    locked: z.boolean().optional(),
    opensAt: time.nullable().optional(),
    closesAt: time.nullable().optional(),
    showLeaderboard: z.boolean().optional(),
    /** A contest's sessions take more than one room's {@link MAX_ROOM_PLAYERS} (the route checks the session's own limit). */
    maxPlayers: z.number().int().min(1).max(MAX_CONTEST_PLAYERS).optional(),
    seatsPerNetwork: seatsPerNetwork.optional(),
    allowGuests: z.boolean().optional(),
  })
  .refine((b) => Object.keys(b).length > 0, 'Nothing to change.');

/** `PUT /api/sessions/:id/participants/:pid/roster`. */
export const linkRosterBody = z.strictObject({ rosterId: recordId.nullable() });

/** `PUT /api/sessions/:id/report/hidden`: takes an open answer out of the word cloud, or puts it back. */
export const hideAnswerBody = z.strictObject({
  questionId: z.string().min(1).max(64),
  participantId: recordId,
  hidden: z.boolean(),
});

// Teachers' accounts ---------------------------------------------------------------------------

const email = z.string().trim().toLowerCase().pipe(z.email('Type a valid email address.').max(200));
const password = z
  .string()
  .min(MIN_PASSWORD_LENGTH, `A password has at least ${MIN_PASSWORD_LENGTH} characters.`)
  .max(200)
  .refine((p) => !isCommonPassword(p), {
    message: 'This password is one of the most common ones, guessed first. Pick another.',
    params: { problem: 'too_common' },
  });

/** `POST /api/auth/register`. */
export const registerBody = z.strictObject({
  email,
  name: z.string().trim().min(1, 'Type your name.').max(80),
  password,
});
/** `POST /api/auth/signin`. */
export const signInBody = z.strictObject({ email, password: z.string().max(200) });
/** `POST /api/auth/password`. */
export const passwordBody = z.strictObject({ current: z.string().max(200), next: password });
/** `PUT /api/auth/blocklist`: words refused in nicknames, on top of the defaults. */
export const blocklistBody = z.strictObject({ words: z.array(z.string().trim().min(1).max(40)).max(200) });
/** `PUT /api/auth/account`: how many days students' results are kept. */
export const accountSettingsBody = z.strictObject({
  keepResultsDays: z.number().int().min(KEEP_RESULTS_DAYS.min).max(KEEP_RESULTS_DAYS.max),
});
/** `DELETE /api/auth/account`: the password again, so that a browser left signed in cannot delete the account. */
export const deleteAccountBody = z.strictObject({ password: z.string().max(200) });

// Classes ------------------------------------------------------------------------------------

const className = z.string().trim().min(1, 'Give the class a name.').max(80);
/** Roster names, trimmed, blank lines dropped, each once. */
const roster = z
  .array(z.string().trim().max(80))
  .max(300)
  .transform((names) => [...new Set(names.filter((n) => n.length > 0))]);

/** `POST /api/classes`. */
export const createClassBody = z.strictObject({ name: className, roster: roster.default([]) });
/** `PUT /api/classes/:id`. */
export const updateClassBody = z.strictObject({ name: className.optional(), roster: roster.optional() });

/** `PUT /api/classes/:id/roster/:rid`: a student's accommodation. */
export const rosterAccommodationBody = z.strictObject({
  timeFactor: z.union(TIME_FACTORS.map((f) => z.literal(f))),
});

// Quizzes and questions ------------------------------------------------------------------------

const quizTitle = z.string().trim().min(1, 'Give the quiz a title.').max(120);
const questionIds = z
  .array(z.string().min(1).max(64))
  .max(200)
  .refine((ids) => new Set(ids).size === ids.length, 'A question can be in a quiz only once.');

/** `POST /api/quizzes`. */
export const createQuizBody = z.strictObject({
  title: quizTitle,
  settings: z.strictObject(settingsFields).default({}),
  questionIds: questionIds.default([]),
});
/** `PUT /api/quizzes/:id`. */
export const updateQuizBody = z.strictObject({
  title: quizTitle.optional(),
  settings: z.strictObject(settingsFields).optional(),
  questionIds: questionIds.optional(),
});

/** `POST` and `PUT /api/questions`: any JSON object, checked against the question schema by the route. */
export const ownQuestionBody = jsonRecord(z.string(), z.unknown());

/**
 * `POST /api/images` (multipart/form-data): one picture as one `file`, or in several widths as
 * several `file` fields (the quiz builder sends a phone and a projector width).
 */
export const uploadImageForm = z.strictObject({
  file: z.union([z.instanceof(File), z.array(z.instanceof(File)).min(1).max(IMAGE_LIMITS.maxFiles)]),
});

/** `POST /api/questions/import`. */
export const importGiftBody = z.strictObject({
  gift: z.string().min(1, 'Paste some GIFT text.').max(50_000),
  lang: z.enum(['zh', 'en', 'both']).default('both'),
});

/** `POST /api/generate`. */
export const generateBody = z.strictObject({
  text: z
    .string()
    .max(MAX_GENERATE_CHARS, `A text may have at most ${MAX_GENERATE_CHARS} characters.`)
    .refine((t) => t.trim().length >= 10, 'Paste a text of at least a sentence.'),
});

/** `POST /api/generate/accept`. */
export const acceptDraftsBody = z.strictObject({
  title: quizTitle,
  /** The drafts the teacher accepted, as edited. */
  drafts: z.array(z.unknown()).min(1, 'Accept at least one draft.').max(200),
});

// Exports -----------------------------------------------------------------------------------

/**
 * The query of a CSV export: the language of its headers and texts, and the time zone its times
 * are written in (the school's; the web app sends the browser's).
 */
export const exportQuery = z.object({
  lang: z.enum(['zh', 'en']).default('en'),
  tz: z.string().max(64).refine(isTimeZone, 'Give an IANA time zone, such as Asia/Shanghai.').default('Asia/Shanghai'),
});
/** The query of a session's student × question grid: also what a cell holds. */
export const gridQuery = exportQuery.extend({ value: z.enum(['points', 'correct']).default('points') });

// Classroom laptop and cloud --------------------------------------------------------------------

/** `POST /api/link-tokens` (cloud): the laptop's name, to tell tokens apart. */
export const linkTokenBody = z.strictObject({ name: z.string().trim().min(1).max(60) });

/** `PUT /api/cloud/link` (laptop): the cloud's address and a link token made there. */
export const cloudLinkBody = z.strictObject({
  url: z
    .url({ protocol: /^https?$/ })
    .max(200)
    .transform((u) => new URL(u).origin),
  token: z
    .string()
    .trim()
    .regex(/^pgl_[A-Za-z0-9_-]{43}$/, 'Paste the whole token, starting with pgl_.'),
});

/**
 * `POST /api/cloud/sessions/:id/send` (laptop): students per page, and how many pages to send
 * now (a slow link sends in steps; the rest follows on the next send, from the cloud's cursor).
 */
export const sendBody = z.strictObject({
  pageSize: z.number().int().min(1).max(200).default(50),
  maxPages: z.number().int().min(1).max(100_000).optional(),
});

// What the web app sends, typed from the schemas above.
export type JoinBody = z.input<typeof joinBody>;
export type AnswerBody = z.input<typeof answerBody>;
export type CreateSessionBody = z.input<typeof createSessionBody>;
export type PatchSessionBody = z.input<typeof patchSessionBody>;
export type LinkRosterBody = z.input<typeof linkRosterBody>;
export type HideAnswerBody = z.input<typeof hideAnswerBody>;
export type RegisterBody = z.input<typeof registerBody>;
export type SignInBody = z.input<typeof signInBody>;
export type PasswordBody = z.input<typeof passwordBody>;
export type BlocklistBody = z.input<typeof blocklistBody>;
export type AccountSettingsBody = z.input<typeof accountSettingsBody>;
export type DeleteAccountBody = z.input<typeof deleteAccountBody>;
export type CreateClassBody = z.input<typeof createClassBody>;
export type UpdateClassBody = z.input<typeof updateClassBody>;
export type RosterAccommodationBody = z.input<typeof rosterAccommodationBody>;
export type CreateQuizBody = z.input<typeof createQuizBody>;
export type UpdateQuizBody = z.input<typeof updateQuizBody>;
export type ImportGiftBody = z.input<typeof importGiftBody>;
export type GenerateBody = z.input<typeof generateBody>;
export type AcceptDraftsBody = z.input<typeof acceptDraftsBody>;
export type ExportQuery = z.input<typeof exportQuery>;
export type LinkTokenBody = z.input<typeof linkTokenBody>;
export type CloudLinkBody = z.input<typeof cloudLinkBody>;
export type SendBody = z.input<typeof sendBody>;
