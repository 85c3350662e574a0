/**
 * What a classroom laptop and the cloud send each other (both are this same Worker): a session in
 * steps (its header, then its students with their answers in pages, then a last check), and the
 * quizzes and classes the laptop takes from the cloud. The cloud validates every body with these
 * schemas, and the laptop validates the cloud's answers with them too.
 */
import * as z from 'zod';
import { FEEDBACKS, MAX_TEAMS, TIME_FACTORS } from '../contract';
import { recordId } from '../requests';
import { question } from '../questions/schema';
import { settingsFields } from '../lib/settings';

const time = z.number().int().min(0).max(8_640_000_000_000);
const count = z.number().int().min(0).max(1_000_000);
const name = z.string().trim().min(1).max(80);

/** A question as the session used it: the laptop's row, answer key included. */
export const wireQuestion = z.strictObject({
  origin: z.enum(['bank', 'teacher', 'import', 'generated']),
  retired: z.boolean(),
  data: question,
});
export type WireQuestion = z.infer<typeof wireQuestion>;

/** A class with its roster, under the same ids on the laptop and the cloud. */
export const wireClass = z.strictObject({
  id: recordId,
  name,
  createdAt: time,
  roster: z
    .array(z.strictObject({ id: recordId, name, timeFactor: z.union(TIME_FACTORS.map((f) => z.literal(f))) }))
    .max(500),
});
export type WireClass = z.infer<typeof wireClass>;

/** `PUT /api/sync/sessions/:id`: the session itself, its questions in order, its class. */
export const sessionHeader = z.strictObject({
  session: z.strictObject({
    code: z.string().min(1).max(16),
    title: z.string().trim().min(1).max(80),
    timeLimitSec: z.number().int().min(0).max(600),
    mode: z.enum(['self', 'live']),
    lang: z.enum(['zh', 'en', 'both']),
    partialCredit: z.boolean(),
    shuffleQuestions: z.boolean(),
    shuffleOptions: z.boolean(),
    feedback: z.enum(FEEDBACKS),
    autoAdvance: z.boolean(),
    showLeaderboard: z.boolean(),
    locked: z.boolean(),
    allowGuests: z.boolean(),
    maxPlayers: count,
    shards: z.number().int().min(1).max(1000),
    teams: z.number().int().min(0).max(MAX_TEAMS),
    seatsPerNetwork: count,
    idSalt: z.string().max(128),
    opensAt: time.nullable(),
    closesAt: time.nullable(),
    teacherKeyExpiresAt: time,
    createdAt: time,
    closedAt: time,
  }),
  questions: z.array(wireQuestion).min(1).max(500),
  class: wireClass.nullable(),
  quizId: recordId.nullable(),
});
export type SessionHeader = z.infer<typeof sessionHeader>;

/** A student's answer to one question. */
const wireAnswer = z.strictObject({
  questionId: z.string().min(1).max(64),
  position: z.number().int().min(0).max(1000),
  response: z.unknown().refine((r) => r !== undefined, 'Send a response, or null when time ran out.'),
  correct: z.boolean(),
  points: z.number().int().min(-1_000_000).max(1_000_000),
  timeMs: z.number().int().min(0).max(8_640_000_000_000),
  answeredAt: time,
});

/** A student of the session (their device token stays on the laptop) with their answers. */
export const wireParticipant = z.strictObject({
  id: recordId,
  nickname: z.string().min(1).max(64),
  nicknameKey: z.string().min(1).max(64),
  joinedAt: time,
  expiresAt: time,
  position: count,
  servedAt: time.nullable(),
  score: z.number().int().min(-1_000_000_000).max(1_000_000_000),
  correctCount: count,
  finishedAt: time.nullable(),
  questionOrder: z.array(z.number().int().min(0).max(1000)).max(500).nullable(),
  rosterId: recordId.nullable(),
  networkKey: z.string().max(128).nullable(),
  deviceKey: z.string().max(128).nullable(),
  answers: z.array(wireAnswer).max(500),
});
export type WireParticipant = z.infer<typeof wireParticipant>;

/** `POST /api/sync/sessions/:id/participants`: one page of students, in id order. */
export const participantsPage = z.strictObject({
  participants: z
    .array(wireParticipant)
    .min(1)
    .max(200)
    .refine((page) => new Set(page.map((p) => p.id)).size === page.length, 'Each student once per page.')
    .refine(
      (page) => new Set(page.map((p) => p.nicknameKey)).size === page.length,
      'Two students of a session never share a name.',
    ),
});

/** `POST /api/sync/sessions/:id/complete`: what the laptop holds, for the cloud to compare with what it stored. */
export const completeBody = z.strictObject({ participants: count, answers: count });

/** The cloud's answer to each step: the last student it has stored (resume after it), and whether it is complete. */
export const receipt = z.strictObject({ cursor: recordId.nullable(), complete: z.boolean() });
export type Receipt = z.infer<typeof receipt>;

/** `GET /api/sync/account`: whose token it is. */
export const cloudAccount = z.strictObject({ name: z.string(), email: z.string() });

/** `GET /api/sync/library`: the token owner's quizzes (with their own questions) and classes. */
export const library = z.strictObject({
  questions: z.array(wireQuestion),
  quizzes: z.array(
    z.strictObject({
      id: recordId,
      title: z.string().min(1).max(200),
      settings: z.strictObject(settingsFields),
      createdAt: time,
      updatedAt: time,
      questionIds: z.array(z.string().min(1).max(64)).max(500),
    }),
  ),
  classes: z.array(wireClass),
});
export type Library = z.infer<typeof library>;
