import { Hono } from 'hono';
import type { AppEnv } from '../http/context';
import { validate } from '../http/validate';
import { requestMeta } from '../http/request-meta';
import { clock } from '../clock';
import { anonymousLimit } from '../ratelimit/limit';
import { requireAuth } from '../tokens';
import { requireLiveSession } from '../sessions/liveness';
import { confirmSchema, passwordAndCodeSchema, passwordSchema, verifySchema } from './schemas';
import { confirmTotp, disableTotp, regenerateRecoveryCodes, setupTotp } from './enrolment';
import { completeMfaSignIn } from './sign-in';

/** /api/v1/auth/mfa/... (API.md). */
export const mfaRoutes = new Hono<AppEnv>()
  .post('/totp/setup', requireAuth, requireLiveSession, validate('json', passwordSchema), async (c) => {
    return c.json(await setupTotp(c.env, c.get('auth'), c.req.valid('json').password, requestMeta(c), clock.now()));
  })
  .post('/totp/confirm', requireAuth, requireLiveSession, validate('json', confirmSchema), async (c) => {
    return c.json(await confirmTotp(c.env, c.get('auth'), c.req.valid('json').code, requestMeta(c), clock.now()));
  })
  .post('/totp/disable', requireAuth, requireLiveSession, validate('json', passwordAndCodeSchema), async (c) => {
    await disableTotp(c.env, c.get('auth').sub, c.req.valid('json'), requestMeta(c), clock.now());
    return c.json({ message: 'Two-factor authentication is off.', mfa_enabled: false });
  })
  .post('/recovery-codes', requireAuth, requireLiveSession, validate('json', passwordAndCodeSchema), async (c) => {
    return c.json(await regenerateRecoveryCodes(c.env, c.get('auth').sub, c.req.valid('json'), requestMeta(c), clock.now()));
  })
  .post('/verify', anonymousLimit, validate('json', verifySchema), async (c) => {
    const { mfa_token, code } = c.req.valid('json');
    return c.json(await completeMfaSignIn(c.env, mfa_token, code, requestMeta(c), clock.now()));
  });
