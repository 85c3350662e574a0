/**
 * Every error code the HTTP API answers with. The web app keeps a text for each code in each
 * language (the common codes in the student entry, the teacher codes in the teacher chunk, each
 * typed `Record<…, string>`), so a new code without its Chinese and English texts fails the type
 * check.
 */
/** Codes any page may meet: the request itself, joining and playing, a session opened by its key. */
export const COMMON_ERROR_CODES = [
  'malformed_body',
  'body_too_large',
  'invalid_json',
  'invalid_param',
  'invalid_query',
  'not_found',
  'http_error',
  'internal',
  'too_many_attempts',
  'origin_required',
  'unknown_host',
  'upgrade_required',
  'unknown_code',
  'nickname_taken',
  'nickname_not_allowed',
  'name_taken',
  'guests_not_allowed',
  'roster_entry_not_found',
  'session_full',
  'network_full',
  'session_closed',
  'session_locked',
  'not_open_yet',
  'live_session',
  'not_live',
  'not_finished',
  'answers_after_close',
  'practice_after_close',
  'finished',
  'not_served',
  'not_current_question',
  'invalid_answer',
  'unauthorized',
  'token_expired',
  'signed_out',
  'forbidden',
  'link_expired',
  'session_not_found',
  'ticket_invalid',
] as const;

/**
 * Codes only the teacher workspace meets: accounts, classes, quizzes, questions, drafts, opening
 * sessions, and sending a classroom laptop's results to the cloud (the cloud's answers to the laptop
 * reach the teacher too, as the reason a session was refused).
 */
export const TEACHER_ERROR_CODES = [
  'wrong_credentials',
  'wrong_password',
  'email_taken',
  'class_not_found',
  'quiz_not_found',
  'question_not_found',
  'participant_not_found',
  'answer_not_found',
  'unknown_questions',
  'invalid_question',
  'invalid_draft',
  'invalid_gift',
  'too_many_questions',
  'empty_quiz',
  'no_english',
  'open_in_contest',
  'no_questions',
  'no_drafts',
  'no_code',
  'invalid_form',
  'image_too_large',
  'not_an_image',
  'image_dimensions',
  'image_not_found',
  'link_token_invalid',
  'link_token_not_found',
  'too_many_link_tokens',
  'session_other_account',
  'class_other_account',
  'quiz_other_account',
  'question_other_account',
  'sync_incomplete',
  'session_not_closed',
  'cloud_not_linked',
  'cloud_unreachable',
  'cloud_refused',
] as const;

export const ERROR_CODES = [...COMMON_ERROR_CODES, ...TEACHER_ERROR_CODES] as const;
export type CommonErrorCode = (typeof COMMON_ERROR_CODES)[number];
export type TeacherErrorCode = (typeof TEACHER_ERROR_CODES)[number];
export type ErrorCode = CommonErrorCode | TeacherErrorCode;

/**
 * Why one field of a request body was refused. The web app shows each in the reader's language,
 * so no validator's English sentence reaches a Chinese screen.
 */
export const FIELD_PROBLEMS = [
  'required',
  'too_short',
  'too_long',
  'too_small',
  'too_big',
  'wrong_type',
  'wrong_format',
  'not_allowed',
  'unknown_field',
  /** A password from the lists of the most common ones. */
  'too_common',
  'invalid',
] as const;
export type FieldProblem = (typeof FIELD_PROBLEMS)[number];

/** One refused field: where it is in the body (`"settings.timeLimitSec"`, `""` for the whole body) and why. */
export interface FieldIssue {
  path: string;
  problem: FieldProblem;
}

/** The JSON body of every error response. `fields` lists the refused fields of an `invalid_*` error. */
export interface ErrorBody {
  error: {
    code: ErrorCode;
    message: string;
    /** The refused fields of a request that failed validation. */
    fields?: FieldIssue[];
    /** With 429: seconds to wait before trying again (also in `Retry-After`). */
    retryAfterSec?: number;
  };
}
