import { Hono } from 'hono';
import type { AppEnv } from '../http/context';
import { validate } from '../http/validate';
import { contextOf } from '../http/request-context';
import { anonymousLimit } from '../ratelimit/limit';
import { requireAuth } from '../tokens';
import { requireLiveSession } from '../sessions/liveness';
import { confirmSchema, passwordAndCodeSchema, passwordSchema, verifySchema } from './schemas';
import { confirmTotp, disableTotp, regenerateRecoveryCodes, setupTotp } from './enrolment';
import { completeMfaSignIn } from './sign-in';

/** /api/v1/auth/mfa/... (API.md). */
export const mfaRoutes = new Hono<AppEnv>()
  .post('/totp/setup', requireAuth, requireLiveSession, validate('json', passwordSchema), async (c) => {
    return c.json(await setupTotp(contextOf(c), c.get('auth'), c.req.valid('json').password));
  })
  .post('/totp/confirm', requireAuth, requireLiveSession, validate('json', confirmSchema), async (c) => {
    return c.json(await confirmTotp(contextOf(c), c.get('auth'), c.req.valid('json').code));
  })
  .post('/totp/disable', requireAuth, requireLiveSession, validate('json', passwordAndCodeSchema), async (c) => {
    await disableTotp(contextOf(c), c.get('auth').sub, c.req.valid('json'));
    return c.json({ message: 'Two-factor authentication is off.', mfa_enabled: false });
  })
  .post('/recovery-codes', requireAuth, requireLiveSession, validate('json', passwordAndCodeSchema), async (c) => {
    return c.json(await regenerateRecoveryCodes(contextOf(c), c.get('auth').sub, c.req.valid('json')));
  })
  .post('/verify', anonymousLimit, validate('json', verifySchema), async (c) => {
    const { mfa_token, code } = c.req.valid('json');
    return c.json(await completeMfaSignIn(contextOf(c), mfa_token, code));
  });
