import { z } from 'zod';
import { normalizeEmail } from '../users/normalize';

const MAX_NAME = 150;

export const emailField = z
  .string({ error: 'This field is required.' })
  .trim()
  .max(254, 'Ensure this field has no more than 254 characters.')
  .transform(normalizeEmail)
  .pipe(z.email({ error: 'Enter a valid email address.' }));

const nameField = z.string().trim().max(MAX_NAME, `Ensure this field has no more than ${MAX_NAME} characters.`);

/** Django's username rule: letters, digits and @/./+/-/_ only. */
export const usernameField = z
  .string()
  .trim()
  .min(3, 'Ensure this field has at least 3 characters.')
  .max(MAX_NAME, `Ensure this field has no more than ${MAX_NAME} characters.`)
  .regex(/^[\p{L}\p{N}_.@+-]+$/u, 'Enter a valid username: letters, numbers and @/./+/-/_ only.');

export const phoneField = z.string().trim().max(32, 'Enter a valid phone number.');

const deviceField = z.object({
  fingerprint_hash: z.string().trim().min(1).max(128),
  device_type: z.string().trim().max(64).optional().default(''),
  browser: z.string().trim().max(64).optional().default(''),
  os: z.string().trim().max(64).optional().default(''),
});

export const registerSchema = z.object({
  // Optional only together with a username and a phone number (registration/register.ts).
  email: emailField.nullish(),
  password: z.string({ error: 'This field is required.' }).max(1024, 'Ensure this field has no more than 128 characters.'),
  password_confirm: z.string({ error: 'This field is required.' }).max(1024),
  username: usernameField.nullish(),
  phone_number: phoneField.nullish(),
  first_name: nameField.optional().default(''),
  last_name: nameField.optional().default(''),
  device: deviceField.nullish(),
});
export type RegisterInput = z.infer<typeof registerSchema>;

const codeField = z.string().trim().regex(/^\d{6}$/, 'Enter the 6-digit code.');
const linkTokenField = z.string().trim().min(1, 'This field is required.').max(512, 'The token is too long.');

/** `{token}` from the link, or `{email, code}` from the mail. */
export const verifyEmailSchema = z
  .object({ token: linkTokenField.optional(), email: emailField.optional(), code: codeField.optional() })
  .superRefine((body, ctx) => {
    if (body.token) return;
    if (!body.email) ctx.addIssue({ code: 'custom', path: ['email'], message: 'Send either {token} or {email, code}.' });
    if (!body.code) ctx.addIssue({ code: 'custom', path: ['code'], message: 'Send either {token} or {email, code}.' });
  });

export const verifyEmailQuerySchema = z.object({ token: linkTokenField });

export const resendSchema = z.object({ email: emailField });

const identifierText = z.string().trim().min(1).max(254);

export const loginSchema = z
  .object({
    email: identifierText.optional(),
    username: identifierText.optional(),
    phone_number: identifierText.optional(),
    identifier: identifierText.optional(),
    password: z.string({ error: 'This field is required.' }).min(1, 'This field is required.').max(1024),
    device: deviceField.nullish(),
  })
  .refine((b) => b.email || b.username || b.phone_number || b.identifier, {
    path: ['identifier'],
    message: 'Send one of email, username, phone_number or identifier.',
  });
export type LoginInput = z.infer<typeof loginSchema>;
