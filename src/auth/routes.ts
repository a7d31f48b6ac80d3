import { Hono } from 'hono';
import type { AppEnv } from '../http/context';
import { validate } from '../http/validate';
import { anonymousLimit, anonymousLimitAlongside, limitByIp } from '../ratelimit/limit';
import { serializeUser } from '../users/serialize';
import { register } from '../registration/register';
import { loginSchema, registerSchema, resendSchema, verifyEmailQuerySchema, verifyEmailSchema } from './schemas';
import { parseIdentifier } from '../users/identifier';
import { phoneReader } from '../users/phones';
import { passwordLogin } from '../sign-in/password-login';
import { ApiError } from '../http/errors';
import { verifyByCode, verifyByLink, type VerifyResult } from '../registration/verify-email';
import { contextOf } from '../http/request-context';
import { resendVerification, spendResendBudget } from '../registration/resend';
import { afterResponse } from '../http/after-response';
import { verifyEmailPageForBrowsers } from './verify-email-page';
import type { UserRow } from '../db/schema';
import { documented, messageSchema } from '../http/openapi';
import { publicUserSchema, registeredSchema, signInResultSchema } from '../users/responses';
import * as z from 'zod';
import { lookupReadsFromReplica, withholdsBookmark } from '../http/db-session';


const registerLimit = limitByIp('register', (config) => config.limits.register);

const VERIFIED = 'Email verified.';
const ALREADY_VERIFIED = 'Email already verified.';
/** Only a newly verified address gets its user back: "already verified" is said to anyone holding a used code or link. */
const verifiedSchema = z.object({ user: publicUserSchema.optional(), message: z.string() });
const verifiedBody = (result: VerifyResult) =>
  result.newlyVerified ? { user: serializeUser(result.user), message: VERIFIED } : { message: ALREADY_VERIFIED };

/** The top-level fields the replaced apps' register answered with (API.md, "Coming from the replaced apps"). */
const registeredIds = (user: UserRow) => ({ id: user.id, user_id: user.id, email: user.email, is_verified: user.emailVerified });

export const authRoutes = new Hono<AppEnv>()
  .post('/register', documented({ tags: ['auth'], summary: 'Register an account', description: 'Sends a verification code and link by email.', auth: 'none', responses: { 201: registeredSchema } }), registerLimit, withholdsBookmark, validate('json', registerSchema), async (c) => {
    const { user, mail } = await register(contextOf(c), c.req.valid('json'));
    afterResponse(c, 'registration mail', mail);
    const message = user.email ? 'Registration successful. Check your email for a verification code and link.' : 'Registration successful.';
    return c.json({ user: serializeUser(user), message, ...registeredIds(user) }, 201);
  })
  .post('/verify-email', documented({ tags: ['auth'], summary: 'Verify the email address (code or link token)', auth: 'none', responses: { 200: verifiedSchema } }), anonymousLimitAlongside, lookupReadsFromReplica, validate('json', verifyEmailSchema), async (c) => {
    const body = c.req.valid('json');
    const ctx = contextOf(c);
    const result = body.token ? await verifyByLink(ctx, body.token) : await verifyByCode(ctx, body.email!, body.code!);
    return c.json(verifiedBody(result));
  })
  .get('/verify-email', documented({ tags: ['auth'], summary: 'Verify the email address from the mailed link', auth: 'none', responses: { 200: verifiedSchema } }), verifyEmailPageForBrowsers, anonymousLimitAlongside, validate('query', verifyEmailQuerySchema), async (c) => {
    const result = await verifyByLink(contextOf(c), c.req.valid('query').token);
    return c.json(verifiedBody(result));
  })
  .post('/resend-verification', documented({ tags: ['auth'], summary: 'Send a new verification email', auth: 'none', responses: { 200: messageSchema } }), anonymousLimit, withholdsBookmark, validate('json', resendSchema), async (c) => {
    const { email } = c.req.valid('json');
    await spendResendBudget(c.env, email);
    // The answer must not depend on the address: do the work after responding.
    const ctx = contextOf(c);
    afterResponse(c, 'resend', () => resendVerification(ctx, email));
    return c.json({ message: 'If this address has an unverified account, a new verification email is on its way.' });
  })
  .post('/login', documented({ tags: ['auth'], summary: 'Sign in with a password', description: 'Tokens, or `mfa_required` with an `mfa_token` for accounts with two-factor authentication.', auth: 'none', responses: { 200: signInResultSchema } }), anonymousLimitAlongside, lookupReadsFromReplica, validate('json', loginSchema), async (c) => {
    const body = c.req.valid('json');
    const ctx = contextOf(c);
    const identifier = await parseIdentifier(body, phoneReader(ctx));
    if (!identifier) throw new ApiError('invalid_credentials');
    return c.json(await passwordLogin(ctx, identifier, body.password, body.device));
  });
