/**
 * The terminal's line for a student who joined, in classroom mode (./classroom.ts): the session's
 * code, the nickname (nothing else about the child) and how many are in the session now.
 * scripts/classroom.ts shows the lines that start with {@link JOINED} and hides wrangler's others.
 */
export const JOINED = 'joined ';

export const joinLine = (code: string, nickname: string, inSession: number): string =>
  `${JOINED} ${code}  ${nickname}  (${inSession} in session)`;
