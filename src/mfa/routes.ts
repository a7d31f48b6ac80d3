import { Hono } from 'hono';
import type { AppEnv } from '../http/context';
import { validate } from '../http/validate';
import { contextOf } from '../http/request-context';
import { anonymousLimitAlongside } from '../ratelimit/limit';
import { requireAuth } from '../tokens';
import { requireLiveSession } from '../sessions/liveness';
import { confirmSchema, passwordAndCodeSchema, passwordSchema, verifySchema } from './schemas';
import { confirmTotp, disableTotp, regenerateRecoveryCodes, setupTotp } from './enrolment';
import { completeMfaSignIn } from './sign-in';
import { documented } from '../http/openapi';
import { tokenResponseSchema } from '../users/responses';
import * as z from 'zod';
import { readsFromReplica } from '../http/db-session';

/** /api/v1/auth/mfa/... (API.md). */
export const mfaRoutes = new Hono<AppEnv>()
  .post('/totp/setup', documented({ tags: ['mfa'], summary: 'Start TOTP enrolment (secret and otpauth URI)', auth: 'bearer', responses: { 200: z.object({ secret: z.string(), otpauth_uri: z.string() }) } }), requireAuth, requireLiveSession, validate('json', passwordSchema), async (c) => {
    return c.json(await setupTotp(contextOf(c), c.get('auth'), c.req.valid('json').password));
  })
  .post('/totp/confirm', documented({ tags: ['mfa'], summary: 'Confirm TOTP with a first code; answers the recovery codes', auth: 'bearer', responses: { 200: z.object({ recovery_codes: z.array(z.string()) }) } }), requireAuth, requireLiveSession, validate('json', confirmSchema), async (c) => {
    return c.json(await confirmTotp(contextOf(c), c.get('auth'), c.req.valid('json').code));
  })
  .post('/totp/disable', documented({ tags: ['mfa'], summary: 'Turn two-factor authentication off', auth: 'bearer', responses: { 200: z.object({ message: z.string(), mfa_enabled: z.literal(false) }) } }), requireAuth, requireLiveSession, validate('json', passwordAndCodeSchema), async (c) => {
    await disableTotp(contextOf(c), c.get('auth').sub, c.req.valid('json'));
    return c.json({ message: 'Two-factor authentication is off.', mfa_enabled: false });
  })
  .post('/recovery-codes', documented({ tags: ['mfa'], summary: 'Replace my recovery codes', auth: 'bearer', responses: { 200: z.object({ recovery_codes: z.array(z.string()) }) } }), requireAuth, requireLiveSession, validate('json', passwordAndCodeSchema), async (c) => {
    return c.json(await regenerateRecoveryCodes(contextOf(c), c.get('auth').sub, c.req.valid('json')));
  })
  .post('/verify', documented({ tags: ['mfa'], summary: 'Second factor of a sign-in (mfa_token + TOTP or recovery code)', auth: 'none', responses: { 200: tokenResponseSchema } }), anonymousLimitAlongside, readsFromReplica, validate('json', verifySchema), async (c) => {
    const { mfa_token, code } = c.req.valid('json');
    return c.json(await completeMfaSignIn(contextOf(c), mfa_token, code));
  });
