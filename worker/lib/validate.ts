/** Request validation through @hono/zod-validator, failing with the API's error shape. */
import { zValidator } from '@hono/zod-validator';
import type * as z from 'zod';
import { FIELD_PROBLEMS, type FieldIssue, type FieldProblem } from '../contract';
import { ApiError } from './errors';

type Issue = z.core.$ZodIssue;

/** Describes the first few problems of a failed parse in one readable sentence. */
export function describeIssues(error: {
  issues: readonly { path: readonly PropertyKey[]; message: string }[];
}): string {
  return error.issues
    .slice(0, 3)
    .map((i) => (i.path.length ? `${i.path.map(String).join('.')}: ${i.message}` : i.message))
    .join('; ');
}

/** The value at `path` inside `data`, or undefined where the path leads nowhere. */
function at(data: unknown, path: readonly PropertyKey[]): unknown {
  let value = data;
  for (const key of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}

/** Why a field was refused, in words the web app translates (zod's own sentences are English only). */
function problemOf(issue: Issue, data: unknown): FieldProblem {
  switch (issue.code) {
    case 'invalid_type':
      return at(data, issue.path) === undefined ? 'required' : 'wrong_type';
    case 'too_small':
      if (issue.origin === 'string') return issue.minimum === 1 ? 'required' : 'too_short';
      return 'too_small';
    case 'too_big':
      return issue.origin === 'string' ? 'too_long' : 'too_big';
    case 'invalid_format':
      return 'wrong_format';
    case 'invalid_value':
      return 'not_allowed';
    case 'unrecognized_keys':
      return 'unknown_field';
    case 'custom': {
      // A refinement names its own problem in `params.problem` (the password schema: 'too_common').
      const named = (issue.params as { problem?: unknown } | undefined)?.problem;
      return FIELD_PROBLEMS.find((p) => p === named) ?? 'invalid';
    }
    default:
      return 'invalid';
  }
}

/** Each refused field once, with its first problem; unknown keys are listed as fields of their own. */
export function fieldIssues(issues: readonly Issue[], data: unknown): FieldIssue[] {
  const out = new Map<string, FieldProblem>();
  for (const issue of issues) {
    const paths = issue.code === 'unrecognized_keys' ? issue.keys.map((k) => [...issue.path, k]) : [issue.path];
    for (const path of paths) {
      const key = path.map(String).join('.');
      if (!out.has(key)) out.set(key, problemOf(issue, data));
    }
  }
  return [...out].slice(0, 10).map(([path, problem]) => ({ path, problem }));
}

/** Validates one part of the request (`json`, `param`, …) and answers 400 `invalid_<target>` when it does not fit. */
export const validate = <T extends z.ZodType, Target extends 'json' | 'param' | 'query' | 'form'>(
  target: Target,
  schema: T,
) =>
  zValidator(target, schema, (result) => {
    if (!result.success)
      throw new ApiError(400, `invalid_${target}`, describeIssues(result.error), {
        fields: fieldIssues(result.error.issues, result.data),
      });
  });
