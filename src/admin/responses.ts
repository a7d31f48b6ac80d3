import * as z from 'zod';
import { publicUserSchema, isoTime } from '../users/responses';
import { eventSchema } from '../events/responses';
import { sessionHistoryEntrySchema } from '../sessions/responses';

/** OpenAPI response schemas of the admin API (serialize.ts, user-detail.ts, lock.ts build them). */
export const adminUserSchema = publicUserSchema
  .extend({ password_changed_at: isoTime.nullable(), updated_at: isoTime.nullable(), deleted_at: isoTime.nullable() })
  .meta({ id: 'AdminUser' });

/** The event as GET /events shows it, plus who it is about and who did it, the review note and the alert time (serialize.ts adminEvent). */
export const adminEventSchema = eventSchema
  .extend({
    type: z.string(),
    user_id: z.string().nullable(),
    actor_id: z.string().nullable(),
    review_note: z.string().nullable(),
    alerted_at: isoTime.nullable(),
  })
  .meta({ id: 'AuditEvent' });

export const adminMailFailureSchema = z.object({
  id: z.string(),
  message_id: z.string(),
  template: z.string(),
  recipient: z.string(),
  user_id: z.string().nullable(),
  error: z.string(),
  attempts: z.number().int().nonnegative(),
  created_at: isoTime.nullable(),
});

/** The failure lockout and the staff lock of an account (accounts/state). */
const lockStateSchema = z.object({
  admin_lock: z.looseObject({}).nullable().describe('The staff lock (until, by, reason), or null.'),
  lockout: z.looseObject({}).describe('The failed-sign-in lockout state.'),
});
export const lockAnswerSchema = lockStateSchema;

/** What is pending of the emailed secrets (verification link/code, sign-in and reset codes). */
const pendingSecretsSchema = { verification: z.looseObject({}).nullable(), codes: z.looseObject({}) };

export const verificationStateSchema = z.object({ email_verified: z.boolean(), ...pendingSecretsSchema });

export const userDetailSchema = z.object({
  user: adminUserSchema,
  profile: z.looseObject({}),
  ...lockStateSchema.shape,
  ...pendingSecretsSchema,
  sessions: z.array(z.looseObject({ id: z.string(), created_at: isoTime.nullable(), expires_at: isoTime.nullable() })),
  devices: z.array(z.looseObject({ id: z.string() })),
  recent_events: z.array(adminEventSchema),
  mail_failures: z.array(adminMailFailureSchema),
  mail_suppression: z.looseObject({ email: z.string(), kind: z.string() }).nullable(),
  session_history: z.array(sessionHistoryEntrySchema).describe('Open and ended sessions, newest first.'),
});

export const suspensionSchema = z.object({ user_id: z.string(), is_suspended: z.boolean(), suspension_reason: z.string() });

/** The support jobs that mail the owner (jobs-routes.ts): the mail is queued. */
export const sentSchema = z.object({ sent: z.literal(true) });

/** GET /admin/users/{id}/password-history (password-history.ts): newest first, never the hash. */
export const passwordHistorySchema = z.object({
  results: z.array(
    z.object({
      changed_at: isoTime,
      ip: z.string().nullable(),
      via: z.string().nullable().describe('How it was set: the audit event type (registration, password_changed, password_reset, admin_user_created…); null on rows from before it was kept.'),
    }),
  ),
});

/** GET /admin/users/{id}/sessions (user-detail.ts userSessionHistory). */
export const sessionHistorySchema = z.object({ results: z.array(sessionHistoryEntrySchema) });
