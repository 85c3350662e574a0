/** The API's and the live game's error codes, and refused fields, in English. */
import type { CommonErrorCode, FieldProblem } from '../../../worker/contract';

export const apiErrors = {
  malformed_body: 'What was sent could not be read. Please try again.',
  body_too_large: 'What you sent is too long.',
  invalid_json: 'Please check what you filled in.',
  invalid_param: 'This address is not valid.',
  invalid_query: 'This search is not valid.',
  not_found: 'There is nothing at this address.',
  http_error: 'The request could not be handled. Please try again.',
  internal: 'Something went wrong on our side. Please try again.',
  too_many_attempts: 'Too many attempts. Wait a minute and try again.',
  origin_required: 'Send the request from the app, or with an Origin header of this site.',
  unknown_host: 'This server answers only at its own address: open the address shown on the teacher’s laptop.',
  upgrade_required: 'This page needs a live connection. Reload it.',
  unknown_code: 'No quiz has this join code. Check the code with your teacher.',
  nickname_taken: 'Someone in this quiz already has this nickname. Pick another.',
  nickname_not_allowed: 'This nickname is not allowed. Pick another.',
  name_taken: 'Someone has already picked this name. If it is yours, tell your teacher.',
  guests_not_allowed: 'Pick your name from the class list. Not on it? Ask your teacher.',
  roster_entry_not_found: 'This name is not on the class list any more (it may have just changed). Look again.',
  session_full: 'This quiz is full: no more students can join.',
  network_full: 'Too many students have joined this quiz from this network. Ask your teacher.',
  session_closed: 'This quiz has ended.',
  session_locked: 'The teacher has locked this quiz: no one new can join right now.',
  not_open_yet: 'This quiz has not started yet. Wait for your teacher.',
  live_session: 'This is a live quiz: follow your teacher’s big screen.',
  not_live: 'This session is not a live game.',
  not_finished: 'Answer every question to see the review.',
  answers_after_close: 'The answers are shown when the quiz closes.',
  practice_after_close: 'You can practise once the quiz has closed.',
  finished: 'You have answered every question.',
  not_served: 'Open the question before answering it.',
  not_current_question: 'This is not your current question; reloading.',
  invalid_answer: 'This answer does not fit the question. Try again.',
  unauthorized: 'This device is no longer in the quiz. Join again with the code.',
  token_expired: 'Your place in this quiz has expired. Join again with the code.',
  signed_out: 'You are not signed in. Please sign in first.',
  forbidden: 'This link does not open this session.',
  link_expired: 'This teacher link has expired.',
  session_not_found: 'This session does not exist (it may have been deleted).',
  ticket_invalid: 'The connection to the live game could not be opened. Try again.',
} satisfies Record<CommonErrorCode, string>;

/** How long to wait, as the server's `retryAfterSec` says: seconds, or whole minutes from two minutes on. */
const duration = (seconds: number) =>
  seconds >= 120 ? `${Math.ceil(seconds / 60)} minutes` : seconds === 1 ? '1 second' : `${seconds} seconds`;

/** `too_many_attempts` when the server says how long to wait, per kind of attempt. */
export const waitTexts = {
  attempts: (seconds: number) => `Too many attempts. Wait ${duration(seconds)} and try again.`,
  wrongCodes: (seconds: number) => `Too many wrong codes from this network. Wait ${duration(seconds)} and try again.`,
};

export const fieldProblems = {
  required: 'required',
  too_short: 'too short',
  too_long: 'too long',
  too_small: 'too small or too few',
  too_big: 'too large or too many',
  wrong_type: 'not the right kind of value',
  wrong_format: 'not in the right format',
  not_allowed: 'not one of the allowed values',
  unknown_field: 'not expected here',
  too_common: 'one of the most common passwords: pick another',
  invalid: 'not valid',
} satisfies Record<FieldProblem, string>;

/** How a refused field is written: name, colon, problem; fields apart by the separator. */
export const punctuation = { colon: ': ', separator: '; ' };

/** The one field a student's page sends (the teacher chunk adds its forms' fields). */
export const fieldNames: Readonly<Record<string, string>> = { nickname: 'Nickname' };
