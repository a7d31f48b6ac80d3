import * as z from 'zod';

const passwordText = z.string({ error: 'This field is required.' }).min(1, 'This field is required.').max(1024, 'Ensure this field has no more than 128 characters.');

export const changePasswordSchema = z.object({ current_password: passwordText, new_password: passwordText });
export type ChangePasswordInput = z.infer<typeof changePasswordSchema>;

/** The new password of a change or a reset; the policy is applied with the account in hand. */
export const newPasswordField = passwordText;
