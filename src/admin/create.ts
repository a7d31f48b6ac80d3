import * as z from 'zod';
import type { AdminContext } from './context';
import type { UserRow } from '../db/schema';
import { ApiError, validationError } from '../http/errors';
import { errorSummary, maskEmail } from '../http/log';
import { emailField, phoneField, usernameField } from '../auth/schemas';
import { hashPassword } from '../password/hashing';
import { normalizeUsername, usernameKey } from '../users/normalize';
import { phoneReader } from '../users/phones';
import { takenKeys, uniqueViolation } from '../users/queries';
import { accountStatements, newUserRow } from '../registration/register';
import { sendVerificationMail } from '../registration/verify-email';
import { randomToken } from '../crypto/random';
import { adminAudit } from './audit';
import { INVALID_PHONE } from './identity';
import { assertMayActOn } from './roles';

const name = z.string().trim().max(150, 'Ensure this field has no more than 150 characters.');
/** Query strings and forms send "" for "none". */
const optional = <T extends z.ZodType>(schema: T) => z.preprocess((v) => (v === '' ? null : v), schema.nullish());

/** What staff give for a new account: no password (the owner chooses one through a reset) and no role (a separate, audited step). */
export const createUserBody = z.strictObject({
  email: emailField,
  username: optional(usernameField),
  phone_number: optional(phoneField),
  first_name: name.optional().default(''),
  last_name: name.optional().default(''),
});
export type CreateUserInput = z.infer<typeof createUserBody>;

const TAKEN_ERROR = { email: 'email_taken', usernameKey: 'username_taken', phoneNumber: 'phone_taken' } as const;

/**
 * The checks of a creation, without creating: may this staff member create accounts, is
 * the phone number one, are the keys free. The console runs them before its confirmation
 * page, createUser again before it writes.
 */
export async function checkNewUser(ctx: AdminContext, input: CreateUserInput) {
  assertMayActOn(ctx.staff, { id: '', role: 'user' }, 'users.create');
  const phone = input.phone_number ? await phoneReader(ctx)(input.phone_number) : null;
  if (input.phone_number && !phone) throw validationError({ phone_number: [INVALID_PHONE] });
  const username = input.username ? normalizeUsername(input.username) : null;
  const keys = { email: input.email, usernameKey: username ? usernameKey(username) : null, phoneNumber: phone };
  const taken = await takenKeys(ctx.db, keys);
  const firstTaken = (['email', 'usernameKey', 'phoneNumber'] as const).find((k) => taken.has(k));
  if (firstTaken) throw new ApiError(TAKEN_ERROR[firstTaken]);
  return { keys, username };
}

/**
 * Creates a plain, unverified account for someone (the support desk's "make me an
 * account") and mails them the verification code and link. Its password is random and
 * known to nobody: the owner picks one with a password reset. Taken keys answer as the
 * registration does (email_taken, username_taken, phone_taken), with no enumeration
 * protection: staff may know which addresses have accounts.
 */
export async function createUser(ctx: AdminContext, input: CreateUserInput): Promise<UserRow> {
  const { keys, username } = await checkNewUser(ctx, input);
  const unknowable = randomToken(32);
  const candidate = { keys, username, password: unknowable, firstName: input.first_name, lastName: input.last_name };
  const user = newUserRow(candidate, await hashPassword(unknowable), ctx.now);
  try {
    await ctx.db.batch([
      ...accountStatements(ctx.db, user, ctx.now, { ip: ctx.meta.ip, via: 'admin_user_created' }),
      adminAudit(ctx, 'admin_user_created', user.id, { username: username !== null, phone_number: keys.phoneNumber !== null }),
    ]);
  } catch (err) {
    // Someone registered the same key between our check and our insert.
    const key = uniqueViolation(err);
    if (key) throw new ApiError(TAKEN_ERROR[key]);
    throw err;
  }
  try {
    await sendVerificationMail(ctx.env, { id: user.id, email: input.email }, ctx.now);
  } catch (err) {
    // The account stands; "Resend verification" repairs a mail that never left.
    ctx.log.error('verification mail not queued', { user_id: user.id, email: maskEmail(input.email), ...errorSummary(err) });
  }
  return user;
}
