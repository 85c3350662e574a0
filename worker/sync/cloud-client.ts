/**
 * The laptop's calls to the cloud's sync API (worker/routes/sync.ts), made by the laptop's Worker
 * so that the browser needs no cross-origin access. Every answer is validated; every failure
 * becomes a {@link CloudError} that says whether trying again later may help.
 */
import type * as z from 'zod';
import { ERROR_CODES, type ErrorBody, type ErrorCode } from '../contract';

/** A cloud address and a link token made there. */
export interface LinkTarget {
  url: string;
  token: string;
}

/** How long one call may take: a page of students is a few hundred kilobytes at most. */
const CALL_TIMEOUT_MS = 30_000;

/** A failed call: `refused` when the cloud said no (4xx), else the cloud was unreachable or failing and a later try may work. */
export class CloudError extends Error {
  constructor(
    readonly refused: boolean,
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
  }
}

const unreachable = (why: string) =>
  new CloudError(false, 'cloud_unreachable', `The cloud cannot be reached right now (${why}).`);

/** `method path` of the cloud's sync API with the link token; the answer parsed with `schema`. */
export async function callCloud<S extends z.ZodType>(
  link: LinkTarget,
  method: 'GET' | 'PUT' | 'POST',
  path: string,
  schema: S,
  body?: unknown,
): Promise<z.infer<S>> {
  let res: Response;
  try {
    res = await fetch(`${link.url}/api/sync${path}`, {
      method,
      headers: {
        Authorization: `Bearer ${link.token}`,
        ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(CALL_TIMEOUT_MS),
    });
  } catch (err) {
    throw unreachable(err instanceof Error ? err.message : String(err));
  }
  const text = await res.text();
  let json: unknown = null;
  try {
    json = JSON.parse(text);
  } catch {
    // Not JSON: a proxy's or captive portal's page; told apart below by the status.
  }
  // A refusal the cloud explains: its code and message reach the teacher. Anything else (5xx, a
  // portal's page, a rate limit) may pass: the send is tried again.
  if (!res.ok) {
    const error = (json as Partial<ErrorBody> | null)?.error;
    const known = error && (ERROR_CODES as readonly string[]).includes(error.code);
    if (res.status >= 400 && res.status < 500 && res.status !== 408 && res.status !== 429 && known)
      throw new CloudError(true, error.code, error.message);
    throw unreachable(`HTTP ${res.status}`);
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success)
    throw new CloudError(
      true,
      'cloud_refused',
      'The cloud answered something this laptop does not understand: is it a Pomegranate of another version?',
    );
  return parsed.data;
}
