/**
 * The one error shape of the API: `{ "error": { "code", "message" } }` with a 4xx status.
 * Routes throw {@link ApiError}; the app's onError turns it (and hono's own errors) into JSON.
 */
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';

/** A failure the client can act on. `message` is shown to people, so it is plain language. */
export class ApiError extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** JSON body of an error response. */
export interface ErrorBody {
  error: { code: string; message: string };
}

const errorJson = (c: Context, status: ContentfulStatusCode, code: string, message: string) =>
  c.json<ErrorBody>({ error: { code, message } }, status);

/** hono `onError` handler: known errors keep their status, anything else is logged and hidden. */
export function handleError(err: Error, c: Context): Response {
  if (err instanceof ApiError) return errorJson(c, err.status, err.code, err.message);
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
export const handleNotFound = (c: Context): Response => errorJson(c, 404, 'not_found', 'There is nothing at this address.');
