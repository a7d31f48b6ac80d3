import type { z } from 'zod';
import { passwordProblems, type PasswordContext } from './policy';

/**
 * For a request schema holding the password and the account fields:
 *   body.superRefine((b, ctx) => addPasswordIssues(ctx, b.password, b))
 * Each problem becomes an issue at `path`, so the API answers
 * `fields: {"password": ["This password is too common."]}`.
 */
export function addPasswordIssues(
  ctx: z.RefinementCtx,
  password: string,
  context: PasswordContext,
  path: PropertyKey[] = ['password'],
): void {
  for (const message of passwordProblems(password, context)) ctx.addIssue({ code: 'custom', message, path });
}
