import * as z from 'zod';

const required = { error: 'This field is required.' };

/** Six digits from the app, or a recovery code (`abcd-efgh-ijkl-mnop`). */
const codeField = z.string(required).trim().min(1, 'This field is required.').max(64, 'Enter the 6-digit code or a recovery code.');
const passwordField = z.string(required).min(1, 'This field is required.').max(1024);

export const passwordSchema = z.object({ password: passwordField });
export const confirmSchema = z.object({ code: codeField });
export const passwordAndCodeSchema = z.object({ password: passwordField, code: codeField });
export const verifySchema = z.object({
  mfa_token: z.string(required).trim().min(1, 'This field is required.').max(256),
  code: codeField,
});
