/**
 * Validation of the live game's client frames (the types and constants are in
 * worker/contract/live.ts). Every frame a socket sends is parsed with {@link clientMessageSchema}
 * before the room acts on it.
 */
import * as z from 'zod';
import { MAX_TEAMS, type ClientMessage, type HostMessage, type PlayerMessage, type Same } from '../contract';

const id = z.string().min(1).max(64);
const bare = <T extends string>(type: T) => z.strictObject({ type: z.literal(type) });

// ---------------------------------------------------------------------------------------------
// Client → server
// ---------------------------------------------------------------------------------------------

/** Teacher's commands. Each is refused with `error` `not_now` outside the phase it belongs to. */
export const hostMessageSchemas = [
  /** Lobby → first question. */
  bare('start'),
  /** Reveal → leaderboard (or → ended after the last question); leaderboard → next question. */
  bare('next'),
  /** Close the open question now and reveal it (as if time were up). */
  bare('reveal'),
  /** Freeze the open question's countdown; answers are refused (`paused`) until `resume`. */
  bare('pause'),
  bare('resume'),
  /** Abandon the open question: not scored, not recorded; go on to the next one (or end). */
  bare('skip'),
  /** Finish the game now: podium and final ranking. */
  bare('end'),
  /** Remove a student: their nickname leaves the game and the session's results. */
  z.strictObject({ type: z.literal('kick'), participantId: id }),
  /** Team mode: move a student to another team, while no question is open. */
  z.strictObject({
    type: z.literal('team'),
    participantId: id,
    team: z.number().int().min(1).max(MAX_TEAMS),
  }),
  /** Take an open answer out of the word cloud, or put it back. */
  z.strictObject({ type: z.literal('hide'), questionId: id, participantId: id, hidden: z.boolean() }),
] as const;

/** Student's messages. */
export const playerMessageSchemas = [
  /**
   * An answer to the open question, shaped by its type as in self-paced play (`{ optionId }`,
   * `{ optionIds }`, `{ value }`, `{ order }`, `{ pairs }`, `{ text }`). One per question: a
   * repeat gets the same `ack` with `repeated: true` and changes nothing.
   */
  z.strictObject({
    type: z.literal('answer'),
    questionId: id,
    response: z.unknown().refine((r) => r !== undefined && r !== null, 'Send a response.'),
  }),
] as const;

/** Either role. */
export const commonMessageSchemas = [
  /** Keep-alive; normally answered by the runtime (see the module comment). */
  bare('ping'),
  /** Resend `welcome` and the snapshot of the current phase. */
  bare('sync'),
] as const;

/** Every message a client may send. */
export const clientMessageSchema = z.discriminatedUnion('type', [
  ...hostMessageSchemas,
  ...playerMessageSchemas,
  ...commonMessageSchemas,
]);

// The schemas accept exactly the contract's messages.
true satisfies Same<z.infer<typeof clientMessageSchema>, ClientMessage>;
true satisfies Same<z.infer<(typeof hostMessageSchemas)[number]>, HostMessage>;
true satisfies Same<z.infer<(typeof playerMessageSchemas)[number]>, PlayerMessage>;
