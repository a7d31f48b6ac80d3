import { Hono } from 'hono';
import { eq } from 'drizzle-orm';
import * as z from 'zod';
import type { AppEnv } from '../http/context';
import { validate } from '../http/validate';
import { ApiError, validationError } from '../http/errors';
import { clock } from '../clock';
import { getConfig } from '../config/config';
import { type Db } from '../db/client';
import { profiles, users, type UserRow } from '../db/schema';
import { auditInsert } from '../audit/record';
import { requireAuth } from '../tokens';
import { rejectRevokedSession, requireLiveSession } from '../sessions/liveness';
import { limitByUser } from '../ratelimit/limit';
import { requestMeta } from '../http/request-meta';
import { metaOf } from '../http/request-meta';
import { phoneField, usernameField } from '../auth/schemas';
import { normalizeUsername, usernameKey } from './normalize';
import { phoneReader, type ReadPhone } from './phones';
import { assertKeepsSignInKeys } from './sign-in-keys';
import { findUserById, findUserWithProfile, takenKeys, uniqueViolation } from './queries';
import { serializeProfile, serializeUser } from './serialize';
import { ownerProfileFields } from '../profiles/schemas';
import { ownProfileFields } from '../profiles/serialize';
import { ownerProfileColumns, privacyStatements } from '../profiles/owner-patch';
import { documented } from '../http/openapi';
import { meSchema } from './responses';
import { dbOf } from '../http/db-session';

const text = (max: number) => z.string().trim().max(max, `Ensure this field has no more than ${max} characters.`);

/** Only what a user may change about themselves; role, email_verified and the like are not here, so they are dropped. */
const patchSchema = z.object({
  first_name: text(150).optional(),
  last_name: text(150).optional(),
  username: usernameField.nullable().optional(),
  phone_number: phoneField.nullable().optional(),
  profile: z
    .object({
      bio: text(1000).optional(),
      avatar_url: z.union([z.literal(''), z.url({ protocol: /^https?$/, error: 'Enter a valid http(s) URL.' }).max(500)]).optional(),
      location: text(100).optional(),
      website: z.union([z.literal(''), z.url({ protocol: /^https?$/, error: 'Enter a valid http(s) URL.' }).max(500)]).optional(),
      timezone: text(64).optional(),
      language: text(16).optional(),
      ...ownerProfileFields,
    })
    .optional(),
});
type MePatch = z.infer<typeof patchSchema>;

async function loadMe(db: Db, userId: string) {
  // One statement for both rows (a join, its text built once): one D1 round trip, and less
  // CPU than a batch of two (npm run bench -- --paths me).
  const found = await findUserWithProfile(db, userId);
  if (!found) throw new ApiError('unauthorized');
  const { user, profile } = found;
  return { ...serializeUser(user), profile: { ...serializeProfile(profile), ...(profile ? ownProfileFields(user, profile) : {}) } };
}

/**
 * Every PATCH counts, valid or not (30 per user per hour by default): with 409
 * phone_taken kept (see userChanges), this limit is what stops anyone from testing
 * phone numbers by the thousand through their own account.
 */
const meUpdateLimit = limitByUser('me_update', (config) => config.userLimits.meUpdate);

export const meRoutes = new Hono<AppEnv>()
  .use(requireAuth)
  .get('/', documented({ tags: ['me'], summary: 'My account and profile', auth: 'bearer', responses: { 200: meSchema } }), rejectRevokedSession, async (c) => c.json(await loadMe(dbOf(c), c.get('auth').sub)))
  // Liveness first: a dead session's token must not spend the user's budget.
  .patch('/', documented({ tags: ['me'], summary: 'Change my names, username, phone or profile', auth: 'bearer', responses: { 200: meSchema } }), requireLiveSession, meUpdateLimit, validate('json', patchSchema), async (c) => {
    const db = dbOf(c);
    const now = clock.now();
    const user = await findUserById(db, c.get('auth').sub);
    if (!user) throw new ApiError('unauthorized');
    const changes = await userChanges(db, user, c.req.valid('json'), phoneReader({ env: c.env, config: getConfig(c.env), log: c.get('log') }));
    const profile = c.req.valid('json').profile;
    const at = new Date(now);
    try {
      await db.batch([
        db.update(users).set({ ...changes, updatedAt: at }).where(eq(users.id, user.id)),
        db.update(profiles).set({ ...toProfileColumns(profile), updatedAt: at }).where(eq(profiles.userId, user.id)),
        auditInsert(db, {
          type: 'profile_updated',
          userId: user.id,
          actorId: user.id,
          ...metaOf(requestMeta(c)),
          metadata: { fields: [...Object.keys(changes), ...Object.keys(profile ?? {}).map((k) => `profile.${k}`)] },
          at: now,
        }),
        ...privacyStatements(db, user.id, profile, { ...metaOf(requestMeta(c)), at: now }),
      ]);
    } catch (err) {
      const key = uniqueViolation(err);
      if (key === 'usernameKey') throw new ApiError('username_taken');
      if (key === 'phoneNumber') throw new ApiError('phone_taken');
      throw err;
    }
    return c.json(await loadMe(db, user.id));
  });

async function userChanges(db: Db, user: UserRow, patch: MePatch, readPhone: ReadPhone): Promise<Partial<UserRow>> {
  const changes: Partial<UserRow> = {};
  if (patch.first_name !== undefined) changes.firstName = patch.first_name;
  if (patch.last_name !== undefined) changes.lastName = patch.last_name;
  if (patch.username !== undefined) {
    changes.username = patch.username ? normalizeUsername(patch.username) : null;
    changes.usernameKey = patch.username ? usernameKey(patch.username) : null;
  }
  if (patch.phone_number !== undefined) {
    const phone = patch.phone_number ? await readPhone(patch.phone_number) : null;
    if (patch.phone_number && !phone) throw validationError({ phone_number: ['Enter a valid phone number in international format, e.g. +14155550123.'] });
    changes.phoneNumber = phone;
  }
  assertKeepsSignInKeys({ ...user, ...changes });
  const taken = await takenKeys(db, { email: user.email, usernameKey: changes.usernameKey ?? null, phoneNumber: changes.phoneNumber ?? null }, user.id);
  if (taken.has('usernameKey')) throw new ApiError('username_taken');
  // Kept, as the replaced clients expect: the user must learn why their number was refused.
  // It says that some account holds the number, never which, and only 30 times an hour
  // per account (meUpdateLimit); accounts that can sign in cost a verified mailbox each.
  if (taken.has('phoneNumber')) throw new ApiError('phone_taken');
  return changes;
}

function toProfileColumns(profile: MePatch['profile']) {
  if (!profile) return {};
  const { avatar_url: avatarUrl, bio, location, website, timezone, language, ...social } = profile;
  const own = Object.fromEntries(Object.entries({ avatarUrl, bio, location, website, timezone, language }).filter(([, v]) => v !== undefined));
  return { ...own, ...ownerProfileColumns(social) };
}
