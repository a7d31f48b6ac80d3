import { Hono } from 'hono';
import type { AppEnv } from '../http/context';
import { validate } from '../http/validate';
import { limitByIp } from '../ratelimit/limit';
import { serializeUser } from '../users/serialize';
import { register } from '../registration/register';
import { registerSchema } from '../auth/schemas';
import { contextOf } from '../http/request-context';
import { afterResponse } from '../http/after-response';
import { professionalPatch } from './schemas';
import { createProfessionalStatements, newProfessionalRow } from './service';
import { documented } from '../http/openapi';
import { registeredSchema } from '../users/responses';
import { withholdsBookmark } from '../http/db-session';

// The same per-IP budget as /auth/register: one scope, so the two routes share it.
const registerLimit = limitByIp('register', (config) => config.limits.register);

const professionalRegistration = registerSchema.extend({ professional: professionalPatch });

/** POST /api/v1/auth/register/professional: user, profile, settings and professional profile in one batch. */
export const professionalRegisterRoutes = new Hono<AppEnv>().post('/register/professional', documented({ tags: ['auth', 'professional'], summary: 'Register an account with a professional profile', auth: 'none', responses: { 201: registeredSchema } }), registerLimit, withholdsBookmark, validate('json', professionalRegistration), async (c) => {
  const { professional, ...input } = c.req.valid('json');
  const { user, mail } = await register(contextOf(c), input, (db, userId, now) => [
    ...createProfessionalStatements(db, newProfessionalRow(userId, professional, now)),
  ]);
  afterResponse(c, 'registration mail', mail);
  return c.json({ user: serializeUser(user), message: 'Registration successful. Check your email for a verification code and link.' }, 201);
});
