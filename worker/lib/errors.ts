/**
 * The one error shape of the API: `{ "error": { "code", "message" } }` with a 4xx status.
 * Routes throw {@link ApiError}; the app's onError turns it (and hono's own errors) into JSON.
 * Codes come from the contract's list, so the web app has a text for each in both languages.
 */
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { ErrorBody, ErrorCode } from '../contract';

/** A failure the client can act on. `message` is plain English for API users; screens show their own text per code. */
export class ApiError extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    readonly code: ErrorCode,
    message: string,
    readonly extra: Pick<ErrorBody['error'], 'fields' | 'retryAfterSec'> = {},
  ) {
    super(message);
  }
}

const errorJson = (
  c: Context,
  status: ContentfulStatusCode,
  code: ErrorCode,
  message: string,
  extra: ApiError['extra'] = {},
) => {
  // The header for HTTP clients, the field for screens that say how long to wait.
  if (extra.retryAfterSec !== undefined) c.header('Retry-After', String(extra.retryAfterSec));
  return c.json<ErrorBody>({ error: { code, message, ...extra } }, status);
};

/** hono `onError` handler: known errors keep their status, anything else is logged and hidden. */
export function handleError(err: Error, c: Context): Response {
  if (err instanceof ApiError) return errorJson(c, err.status, err.code, err.message, err.extra);
  if (err instanceof HTTPException) {
    const status = err.status as ContentfulStatusCode;
    if (status === 400) return errorJson(c, 400, 'malformed_body', 'The request body is not valid JSON.');
    if (status === 413) return errorJson(c, 413, 'body_too_large', 'The request body is too large.');
    return errorJson(c, status, 'http_error', err.message || 'The request could not be handled.');
  }
  console.error('unhandled error', err);
  return errorJson(c, 500, 'internal', 'Something went wrong on our side. Please try again.');
}

/** hono `notFound` handler for API paths. */
export const handleNotFound = (c: Context): Response =>
  errorJson(c, 404, 'not_found', 'There is nothing at this address.');
