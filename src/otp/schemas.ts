import * as z from 'zod';
import { emailField, registerSchema } from '../auth/schemas';

export const codeField = z.string({ error: 'This field is required.' }).trim().regex(/^\d{6}$/, 'Enter the 6-digit code.');

export const otpRequestSchema = z.object({ email: emailField });

/** The optional `device` is the one login and registration take. */
export const otpVerifySchema = z.object({ email: emailField, code: codeField, device: registerSchema.shape.device });
