import { Hono } from 'hono';
import type { AppEnv } from '../http/context';
import { validate } from '../http/validate';
import { adminContext } from './context';
import { authorize } from './roles';
import { adminUser } from './serialize';
import { createUser, createUserBody } from './create';
import { resendUserVerification, sendUserPasswordReset } from './mail-user';
import { passwordHistoryOf } from './password-history';
import { documented } from '../http/openapi';
import { adminUserSchema, passwordHistorySchema, sentSchema } from './responses';
import { dbOf } from '../http/db-session';

/**
 * The everyday support jobs (issue 17), for the API and the console alike: create an
 * account, mail a reset code or a fresh verification, read the password-change history.
 * Mounted under /api/v1/admin after its staff check.
 */
export const jobsAdminRoutes = new Hono<AppEnv>()
  .post('/users', documented({ tags: ['admin'], auth: 'bearer', summary: 'Create an account for someone (mails them the verification)', responses: { 201: adminUserSchema } }), authorize('users.create'), validate('json', createUserBody), async (c) => {
    return c.json(adminUser(await createUser(adminContext(c), c.req.valid('json'))), 201);
  })
  .post('/users/:id/send-password-reset', documented({ tags: ['admin'], auth: 'bearer', summary: 'Mail a user a password reset code', responses: { 200: sentSchema } }), authorize('users.send_reset'), async (c) => {
    await sendUserPasswordReset(adminContext(c), c.req.param('id'));
    return c.json({ sent: true });
  })
  .post('/users/:id/resend-verification', documented({ tags: ['admin'], auth: 'bearer', summary: 'Mail an unverified user a fresh verification code and link', responses: { 200: sentSchema } }), authorize('users.resend_verification'), async (c) => {
    await resendUserVerification(adminContext(c), c.req.param('id'));
    return c.json({ sent: true });
  })
  .get('/users/:id/password-history', documented({ tags: ['admin'], auth: 'bearer', summary: 'When and from where a user\'s password was set', responses: { 200: passwordHistorySchema } }), authorize('users.read'), async (c) => {
    return c.json({ results: await passwordHistoryOf(dbOf(c), c.req.param('id')) });
  });
