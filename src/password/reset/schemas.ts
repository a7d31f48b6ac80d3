import * as z from 'zod';
import { emailField } from '../../auth/schemas';
import { codeField } from '../../otp/schemas';
import { newPasswordField } from '../change/schemas';

export const forgotSchema = z.object({ email: emailField });

export const resetSchema = z.object({ email: emailField, code: codeField, new_password: newPasswordField });
export type ResetInput = z.infer<typeof resetSchema>;
