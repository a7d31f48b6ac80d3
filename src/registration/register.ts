import type { BatchItem } from 'drizzle-orm/batch';
import type { Db } from '../db/client';
import type { RequestContext } from '../http/request-context';
import { devices, passwordHistory, profiles, users, userSettings, type UserRow } from '../db/schema';
import { auditInsert } from '../audit/record';
import { ApiError, validationError, type FieldErrors } from '../http/errors';
import { errorSummary, maskEmail } from '../http/log';
import { commonPasswords, hashPassword, normalizePassword, passwordProblems, type CommonPasswords } from '../password/hashing';
import { normalizeUsername, usernameKey } from '../users/normalize';
import { phoneReader } from '../users/phones';
import { takenKeys, uniqueViolation, type UniqueKeys } from '../users/queries';
import { mailBestEffort } from '../mail/enqueue';
import { sendVerificationMail } from './verify-email';
import { metaOf, type RequestMeta } from '../http/request-meta';
import type { RegisterInput } from '../auth/schemas';

const TAKEN_ERROR = { email: 'email_taken', usernameKey: 'username_taken', phoneNumber: 'phone_taken' } as const;

export interface Registration {
  user: UserRow;
  /** False when enumeration protection answered for an address that already has an account. */
  created: boolean;
  /**
   * The mail to send, to be run after the response (waitUntil) on both paths, so neither
   * the answer nor its timing says which path was taken.
   */
  mail: () => Promise<void>;
}

/**
 * Creates the account, or, with enumeration protection on and the address taken, answers
 * as if it had (whatever else collides: a taken username or phone must not give away
 * that the address is known). Both paths hash the password and write to D1 once.
 */
/** More rows a registration writes in its one batch (the professional registration's profile). */
export type ExtraRows = (db: Db, userId: string, now: number) => BatchItem<'sqlite'>[];
const noExtraRows: ExtraRows = () => [];

export async function register(ctx: RequestContext, input: RegisterInput, extraRows: ExtraRows = noExtraRows): Promise<Registration> {
  const common = await commonPasswords(ctx.env.ASSETS, ctx.log);
  const phone = input.phone_number ? await phoneReader(ctx)(input.phone_number) : null;
  const candidate = validateRegistration(input, phone, common);
  if (ctx.config.enumerationProtection) return registerProtected(ctx, input, candidate, extraRows);
  // No pre-check: the unique keys answer 409 (one round trip to the primary, not two).
  const user = newUserRow(candidate, await hashPassword(candidate.password), ctx.now);
  try {
    await insertUser(ctx.db, user, input, ctx.meta, ctx.now, extraRows(ctx.db, user.id, ctx.now));
  } catch (err) {
    const violated = uniqueViolation(err);
    if (!violated) throw err;
    throw new ApiError(TAKEN_ERROR[await firstTaken(ctx.db, candidate.keys, violated)]);
  }
  return { user, created: true, mail: () => queueVerification(ctx, user) };
}

/**
 * SQLite names one violated key; the answer names the first taken in the contract's order
 * (email, username, phone), so the others are looked up — on this failing path only.
 */
async function firstTaken(db: Db, keys: UniqueKeys, violated: keyof UniqueKeys): Promise<keyof UniqueKeys> {
  if (violated === 'email') return violated;
  const taken = await takenKeys(db, keys);
  return (['email', 'usernameKey', 'phoneNumber'] as const).find((k) => taken.has(k)) ?? violated;
}

/**
 * With enumeration protection both paths look up the keys, then write once (the account,
 * or the duplicate's audit row): a committed write costs alike on both, where a failed
 * insert would answer sooner than a committed one.
 */
async function registerProtected(ctx: RequestContext, input: RegisterInput, candidate: Candidate, extraRows: ExtraRows): Promise<Registration> {
  const { db, meta, now } = ctx;
  const taken = await takenKeys(db, candidate.keys);
  if (taken.has('email')) return answerForExistingAddress(ctx, input, candidate);
  const firstKey = (['usernameKey', 'phoneNumber'] as const).find((k) => taken.has(k));
  if (firstKey) throw new ApiError(TAKEN_ERROR[firstKey]);
  const user = newUserRow(candidate, await hashPassword(candidate.password), now);
  try {
    await insertUser(db, user, input, meta, now, extraRows(db, user.id, now));
  } catch (err) {
    // Another registration won the race between our check and our insert.
    const key = uniqueViolation(err);
    if (key === 'email') return duplicateAnswer(ctx, input, user);
    if (key) throw new ApiError(TAKEN_ERROR[key]);
    throw err;
  }
  return { user, created: true, mail: () => queueVerification(ctx, user) };
}

/** What a new account is made of, once validated and normalized. */
export interface Candidate {
  keys: UniqueKeys;
  username: string | null;
  password: string;
  firstName: string;
  lastName: string;
}

/** `phone`: input.phone_number read (ReadPhone), null when absent or not a valid number. */
function validateRegistration(input: RegisterInput, phone: string | null, common: CommonPasswords): Candidate {
  const fields: FieldErrors = {};
  const password = normalizePassword(input.password);
  if (password !== normalizePassword(input.password_confirm)) fields.password_confirm = ["The two password fields didn't match."];
  const username = input.username ? normalizeUsername(input.username) : null;
  if (input.phone_number && !phone) fields.phone_number = ['Enter a valid phone number in international format, e.g. +14155550123.'];
  // An account may go without an email only when it can sign in by username and by phone.
  if (!input.email && !(username && phone)) fields.email = ['This field is required.'];
  const problems = passwordProblems(password, {
    email: input.email,
    username,
    first_name: input.first_name,
    last_name: input.last_name,
  }, common);
  if (problems.length > 0) fields.password = problems;
  if (Object.keys(fields).length > 0) throw validationError(fields);
  return {
    keys: { email: input.email ?? null, usernameKey: username ? usernameKey(username) : null, phoneNumber: phone },
    username,
    password,
    firstName: input.first_name,
    lastName: input.last_name,
  };
}

export function newUserRow(candidate: Candidate, passwordHash: string, now: number): UserRow {
  const at = new Date(now);
  return {
    id: crypto.randomUUID(),
    email: candidate.keys.email,
    username: candidate.username,
    usernameKey: candidate.keys.usernameKey,
    phoneNumber: candidate.keys.phoneNumber,
    firstName: candidate.firstName,
    lastName: candidate.lastName,
    passwordHash,
    role: 'user',
    isActive: true,
    emailVerified: false,
    mfaEnabled: false,
    dateJoined: at,
    lastLogin: null,
    passwordChangedAt: at,
    deletedAt: null,
    updatedAt: at,
  };
}

/** Where and how an account's first password was set, for its password history. */
export interface PasswordOrigin {
  ip: string | null;
  via: string;
}

/**
 * The rows every account starts with: user, profile, settings, first password-history
 * entry. The test fixture that seeds accounts uses it too, so the two cannot drift apart.
 */
export function accountStatements(db: Db, user: UserRow, now: number, origin: PasswordOrigin = { ip: null, via: 'registration' }) {
  const at = new Date(now);
  return [
    db.insert(users).values(user),
    db.insert(profiles).values({ userId: user.id, updatedAt: at }),
    db.insert(userSettings).values({ userId: user.id, updatedAt: at }),
    db.insert(passwordHistory).values({ userId: user.id, passwordHash: user.passwordHash, createdAt: at, ip: origin.ip, via: origin.via }),
  ] as const;
}

/** The account's rows, device and audit event: all or nothing. */
async function insertUser(db: Db, user: UserRow, input: RegisterInput, meta: RequestMeta, now: number, extra: BatchItem<'sqlite'>[]): Promise<void> {
  const at = new Date(now);
  const device = input.device
    ? [
        db.insert(devices).values({
          id: crypto.randomUUID(),
          userId: user.id,
          fingerprintHash: input.device.fingerprint_hash,
          deviceType: input.device.device_type,
          browser: input.device.browser,
          os: input.device.os,
          firstSeenAt: at,
          lastSeenAt: at,
        }),
      ]
    : [];
  await db.batch([
    ...accountStatements(db, user, now, { ip: meta.ip, via: 'registration' }),
    ...device,
    ...extra,
    auditInsert(db, { type: 'user_registered', userId: user.id, actorId: user.id, ...metaOf(meta), at: now }),
  ]);
}

/**
 * The account exists and is committed; a failure to queue its mail must not undo it.
 * `resend-verification` repairs a mail that never left. The registration mail does not
 * start the resend spacing: a resend right after registering answers as for any address.
 */
async function queueVerification(ctx: RequestContext, user: UserRow): Promise<void> {
  if (!user.email) return;
  const mailed = { id: user.id, email: user.email };
  try {
    await sendVerificationMail(ctx.env, mailed, ctx.now);
  } catch (err) {
    ctx.log.error('verification mail not queued', { user_id: user.id, email: maskEmail(mailed.email), ...errorSummary(err) });
  }
}

/**
 * Enumeration protection: answer as if a new account had been made (same status, same
 * body shape, same hashing) and tell the owner by mail instead.
 */
async function answerForExistingAddress(ctx: RequestContext, input: RegisterInput, candidate: Candidate): Promise<Registration> {
  const shadow = newUserRow(candidate, await hashPassword(candidate.password), ctx.now);
  return duplicateAnswer(ctx, input, shadow);
}

async function duplicateAnswer(ctx: RequestContext, input: RegisterInput, shadow: UserRow): Promise<Registration> {
  const { db, meta, now } = ctx;
  // Only reached for a taken address, so there is one.
  const email = input.email ?? '';
  await auditInsert(db, { type: 'registration_duplicate', ...metaOf(meta), metadata: { email: maskEmail(email) }, at: now });
  const mail = () => mailBestEffort(ctx, { template: 'account_exists', to: email, userId: null, data: { reset_hint: '' } }, 'account-exists mail');
  return { user: shadow, created: false, mail };
}
