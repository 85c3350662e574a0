/** Request validation through @hono/zod-validator, failing with the API's error shape. */
import { zValidator } from '@hono/zod-validator';
import type { ValidationTargets } from 'hono';
import type { z } from 'zod';
import { ApiError } from './errors';

/** Describes the first few problems of a failed parse in one readable sentence. */
export function describeIssues(error: { issues: readonly { path: readonly PropertyKey[]; message: string }[] }): string {
  return error.issues
    .slice(0, 3)
    .map((i) => (i.path.length ? `${i.path.map(String).join('.')}: ${i.message}` : i.message))
    .join('; ');
}

/** Validates one part of the request (`json`, `param`, …) and answers 400 `invalid_<target>` when it does not fit. */
export const validate = <T extends z.ZodType, Target extends keyof ValidationTargets>(target: Target, schema: T) =>
  zValidator(target, schema, (result) => {
    if (!result.success) throw new ApiError(400, `invalid_${target}`, describeIssues(result.error));
  });
