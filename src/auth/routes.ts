import { Hono } from 'hono';
import type { AppEnv } from '../http/context';
import { validate } from '../http/validate';
import { clock } from '../clock';
import { anonymousLimit, limitByIp } from '../ratelimit/limit';
import { serializeUser } from '../users/serialize';
import { errorSummary } from '../http/log';
import { register } from '../registration/register';
import { loginSchema, registerSchema, resendSchema, verifyEmailQuerySchema, verifyEmailSchema } from './schemas';
import { parseIdentifier } from '../users/identifier';
import { assertCanSignIn, checkPassword } from '../sign-in/password';
import { completeSignIn } from '../sign-in/complete';
import { ApiError } from '../http/errors';
import { verifyByCode, verifyByLink, type VerifyResult } from '../registration/verify-email';
import { requestMeta } from '../http/request-meta';
import { resendVerification, spendResendBudget } from '../registration/resend';
import { afterResponse } from '../http/after-response';


const registerLimit = limitByIp('register', (config) => config.limits.register);

const VERIFIED = 'Email verified.';
const ALREADY_VERIFIED = 'Email already verified.';
/** Only a newly verified address gets its user back: "already verified" is said to anyone holding a used code or link. */
const verifiedBody = (result: VerifyResult) =>
  result.newlyVerified ? { user: serializeUser(result.user), message: VERIFIED } : { message: ALREADY_VERIFIED };

export const authRoutes = new Hono<AppEnv>()
  .post('/register', registerLimit, validate('json', registerSchema), async (c) => {
    const { user, mail } = await register(c.env, c.req.valid('json'), requestMeta(c), clock.now());
    afterResponse(c, 'registration mail', mail);
    return c.json(
      { user: serializeUser(user), message: 'Registration successful. Check your email for a verification code and link.' },
      201,
    );
  })
  .post('/verify-email', anonymousLimit, validate('json', verifyEmailSchema), async (c) => {
    const body = c.req.valid('json');
    const result = body.token
      ? await verifyByLink(c.env, body.token, requestMeta(c), clock.now())
      : await verifyByCode(c.env, body.email!, body.code!, requestMeta(c), clock.now());
    return c.json(verifiedBody(result));
  })
  .get('/verify-email', anonymousLimit, validate('query', verifyEmailQuerySchema), async (c) => {
    const result = await verifyByLink(c.env, c.req.valid('query').token, requestMeta(c), clock.now());
    return c.json(verifiedBody(result));
  })
  .post('/resend-verification', anonymousLimit, validate('json', resendSchema), async (c) => {
    const { email } = c.req.valid('json');
    await spendResendBudget(c.env, email);
    // The answer must not depend on the address: do the work after responding.
    const work = resendVerification(c.env, email, requestMeta(c), clock.now()).catch((err: unknown) =>
      c.get('log').error('resend failed', errorSummary(err)),
    );
    c.executionCtx.waitUntil(work);
    return c.json({ message: 'If this address has an unverified account, a new verification email is on its way.' });
  })
  .post('/login', anonymousLimit, validate('json', loginSchema), async (c) => {
    const body = c.req.valid('json');
    const identifier = parseIdentifier(body);
    if (!identifier) throw new ApiError('invalid_credentials');
    const now = clock.now();
    const user = await checkPassword(c.env, identifier, body.password, requestMeta(c), now);
    assertCanSignIn(user);
    return c.json(await completeSignIn(c.env, user, requestMeta(c), body.device, 'password', now));
  });
