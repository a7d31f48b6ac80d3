import { zValidator } from '@hono/zod-validator';
import type { ValidationTargets } from 'hono';
import type { z } from 'zod';
import { validationError, type FieldErrors } from './errors';
import { OPENAPI_MARK, type OpenApiMark } from './openapi';

/** zod issues -> {"field": ["message"]}; errors on the body itself go under non_field_errors. */
export function fieldErrors(error: { issues: readonly { path: readonly PropertyKey[]; message: string }[] }): FieldErrors {
  const fields: FieldErrors = {};
  for (const issue of error.issues) {
    const key = issue.path.length > 0 ? issue.path.map(String).join('.') : 'non_field_errors';
    (fields[key] ??= []).push(issue.message);
  }
  return fields;
}

/**
 * zod-validator with our error shape instead of zod's raw result. The schema also goes into
 * the OpenAPI document (request body, query or path parameters), through its mark
 * (http/openapi.ts OPENAPI_MARK), on the same zValidator the routes always used.
 */
export function validate<T extends z.ZodType, Target extends keyof ValidationTargets>(target: Target, schema: T) {
  const middleware = zValidator(target, schema, (result) => {
    if (!result.success) throw validationError(fieldErrors(result.error));
  });
  return Object.assign(middleware, { [OPENAPI_MARK]: { request: { target, schema } } satisfies OpenApiMark });
}
