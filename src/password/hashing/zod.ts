import type { z } from 'zod';
import type { CommonPasswords } from './common-passwords';
import { passwordProblems, type PasswordContext } from './policy';

/**
 * For a request schema holding the password and the account fields:
 *   body.superRefine((b, ctx) => addPasswordIssues(ctx, b.password, b, common))
 * Each problem becomes an issue at `path`, so the API answers
 * `fields: {"password": ["This password is too common."]}`.
 */
export function addPasswordIssues(
  ctx: z.RefinementCtx,
  password: string,
  context: PasswordContext,
  common: CommonPasswords,
  path: PropertyKey[] = ['password'],
): void {
  for (const message of passwordProblems(password, context, common)) ctx.addIssue({ code: 'custom', message, path });
}
