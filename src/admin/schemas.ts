import { z } from 'zod';
import { ROLES, SEVERITIES } from '../db/schema';
import { emailField, phoneField } from '../auth/schemas';

/** Query strings and forms send "" for "any": read it as absent. */
export const blankless = <T extends z.ZodType>(schema: T) => z.preprocess((v) => (v === '' ? undefined : v), schema);

/** DRF's BooleanFilter spellings. */
export const booleanParam = z
  .enum(['true', 'false', '1', '0', 'True', 'False'], { error: 'Must be true or false.' })
  .transform((v) => v === 'true' || v === '1' || v === 'True');

export const MAX_PAGE_SIZE = 100;
export const DEFAULT_PAGE_SIZE = 25;

export const pageFields = {
  page: blankless(z.coerce.number({ error: 'A valid integer is required.' }).int('A valid integer is required.').min(1).default(1)),
  // DRF clamps an oversized page_size to its maximum rather than refusing it.
  page_size: blankless(
    z.coerce
      .number({ error: 'A valid integer is required.' })
      .int('A valid integer is required.')
      .min(1)
      .default(DEFAULT_PAGE_SIZE)
      .transform((n) => Math.min(n, MAX_PAGE_SIZE)),
  ),
};

export const USER_ORDERINGS = ['date_joined', '-date_joined', 'email', '-email', 'last_login', '-last_login', 'deleted_at', '-deleted_at'] as const;
export type UserOrdering = (typeof USER_ORDERINGS)[number];

export const userListQuery = z.object({
  search: blankless(z.string().trim().max(200).optional()),
  role: blankless(z.enum(ROLES).optional()),
  email_verified: blankless(booleanParam.optional()),
  is_active: blankless(booleanParam.optional()),
  deleted: blankless(booleanParam.optional()),
  ordering: blankless(z.enum(USER_ORDERINGS).optional()),
  ...pageFields,
});
export type UserListQuery = z.infer<typeof userListQuery>;

const instant = z
  .string()
  .max(40)
  .refine((v) => !Number.isNaN(Date.parse(v)), 'Enter a valid date/time.')
  .transform((v) => Date.parse(v));

const id = z.string().trim().min(1).max(64);

export const auditListQuery = z.object({
  user: blankless(id.optional()),
  actor: blankless(id.optional()),
  type: blankless(z.string().trim().regex(/^[a-z_]{1,64}$/, 'Enter a valid event type.').optional()),
  severity: blankless(z.enum(SEVERITIES).optional()),
  since: blankless(instant.optional()),
  ...pageFields,
});
export type AuditListQuery = z.infer<typeof auditListQuery>;

export const mailFailureListQuery = z.object({
  recipient: blankless(z.string().trim().toLowerCase().max(254).optional()),
  template: blankless(z.string().trim().max(64).optional()),
  ...pageFields,
});
export type MailFailureListQuery = z.infer<typeof mailFailureListQuery>;

const name = (max: number) => z.string().trim().max(max, `Ensure this field has no more than ${max} characters.`);

/** What an admin may change; anything else (email, password, deleted_at…) is refused, not ignored. */
export const userPatch = z
  .strictObject({
    role: z.enum(ROLES, { error: `Must be one of: ${ROLES.join(', ')}.` }).optional(),
    is_active: z.boolean().optional(),
    email_verified: z.boolean().optional(),
    first_name: name(150).optional(),
    last_name: name(150).optional(),
    // An address for an account without one (or a new one: it starts unverified unless
    // email_verified says otherwise); null removes it from an account with username and phone.
    email: emailField.nullable().optional(),
    phone_number: phoneField.nullable().optional(),
  })
  .refine((patch) => Object.keys(patch).length > 0, 'Send at least one field to change.');
export type UserPatch = z.infer<typeof userPatch>;

/** Admin lock lengths on offer, in minutes (one hour by default). */
export const LOCK_MINUTES = [15, 60, 240, 1440] as const;
export const MAX_LOCK_REASON = 200;
/** Why an account was locked, for other staff; blank reads as none. */
export const lockReason = z
  .string()
  .trim()
  .max(MAX_LOCK_REASON, `Ensure this field has no more than ${MAX_LOCK_REASON} characters.`)
  .transform((r) => r || null);
export const lockBody = z.strictObject({
  minutes: z
    .number()
    .int()
    .refine((m) => (LOCK_MINUTES as readonly number[]).includes(m), `Must be one of: ${LOCK_MINUTES.join(', ')}.`)
    .default(60),
  reason: lockReason.nullish().transform((r) => r ?? null),
});
