import { Hono } from 'hono';
import type { AppEnv } from '../../http/context';
import { validate } from '../../http/validate';
import { contextOf } from '../../http/request-context';
import { limitByIp, limitByIpAlongside } from '../../ratelimit/limit';
import { afterResponse } from '../../http/after-response';
import { spendAddressBudget } from '../../ratelimit/address-budget';
import { forgotSchema, resetSchema } from './schemas';
import { resetPassword, sendResetCode } from './service';
import { documented, messageSchema } from '../../http/openapi';
import { withholdsBookmark } from '../../http/db-session';

const forgotLimit = limitByIp('forgot', (config) => config.limits.forgot);
// Decided alongside the account read: resetPassword awaits ctx.admitted with it (sign-in/fresh-account.ts).
const resetLimit = limitByIpAlongside('reset', (config) => config.limits.reset);

/** POST /auth/password/forgot and /auth/password/reset (API.md). */
export const passwordResetRoutes = new Hono<AppEnv>()
  .post('/password/forgot', documented({ tags: ['password'], summary: 'Email a password reset code', auth: 'none', responses: { 200: messageSchema } }), forgotLimit, withholdsBookmark, validate('json', forgotSchema), async (c) => {
    const { email } = c.req.valid('json');
    await spendAddressBudget(c.env, 'forgot_address', email, c.get('config').limits.forgot);
    const ctx = contextOf(c);
    afterResponse(c, 'reset code', () => sendResetCode(ctx, email));
    return c.json({ message: 'If this address has an account, a password reset code is on its way.' });
  })
  .post('/password/reset', documented({ tags: ['password'], summary: 'Set a new password with the emailed code', auth: 'none', responses: { 200: messageSchema } }), resetLimit, validate('json', resetSchema), async (c) => {
    await resetPassword(contextOf(c), c.req.valid('json'));
    return c.json({ message: 'Your password has been reset. Sign in with your new password.' });
  });
