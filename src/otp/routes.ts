import { Hono } from 'hono';
import type { AppEnv } from '../http/context';
import { validate } from '../http/validate';
import { contextOf } from '../http/request-context';
import { limitByIp, limitByIpAlongside } from '../ratelimit/limit';
import { completeSignIn } from '../sign-in/complete';
import { sessionStarted } from '../sign-in/start-session';
import { afterResponse } from '../http/after-response';
import { spendAddressBudget } from '../ratelimit/address-budget';
import { otpRequestSchema, otpVerifySchema } from './schemas';
import { acceptLoginCode, sendLoginCode } from './service';
import { documented } from '../http/openapi';
import { signInResultSchema } from '../users/responses';
import * as z from 'zod';
import { lookupReadsFromReplica, withholdsBookmark } from '../http/db-session';

const requestLimit = limitByIp('otp_request', (config) => config.limits.otpRequest);
// Decided alongside the first read: acceptLoginCode awaits ctx.admitted with the account's.
const verifyLimit = limitByIpAlongside('otp_verify', (config) => config.limits.otpVerify);

/** Passwordless sign-in with an emailed code (API.md /auth/otp/*). */
export const otpRoutes = new Hono<AppEnv>()
  .post('/otp/request', documented({ tags: ['otp'], summary: 'Email a sign-in code', auth: 'none', responses: { 200: z.object({ message: z.string(), expires_in: z.number().int().nonnegative() }) } }), requestLimit, withholdsBookmark, validate('json', otpRequestSchema), async (c) => {
    const { email } = c.req.valid('json');
    const config = c.get('config');
    await spendAddressBudget(c.env, 'otp_request_address', email, config.limits.otpRequest);
    const ctx = contextOf(c);
    afterResponse(c, 'login code', () => sendLoginCode(ctx, email));
    return c.json({ message: 'If this address has an account, a sign-in code is on its way.', expires_in: config.ttl.code });
  })
  .post('/otp/verify', documented({ tags: ['otp'], summary: 'Sign in with the emailed code', auth: 'none', responses: { 200: signInResultSchema } }), verifyLimit, lookupReadsFromReplica, validate('json', otpVerifySchema), async (c) => {
    const body = c.req.valid('json');
    const ctx = contextOf(c);
    const { user, session } = await acceptLoginCode(ctx, body.email, body.code, body.device);
    // The session opened with the code's spending; otherwise the same hand-over as a
    // password login: MFA accounts are asked for their second factor there.
    if (session) return c.json(await sessionStarted(ctx, user, body.device, 'email_code', session));
    return c.json(await completeSignIn(ctx, user, body.device, 'email_code'));
  });
