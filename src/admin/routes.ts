import { Hono, type Context } from 'hono';
import { adminContext } from './context';
import type { AppEnv } from '../http/context';
import { validate } from '../http/validate';
import { clock } from '../clock';
import { createDb } from '../db/client';
import { adminAuth } from './api-auth';
import { authorize } from './roles';
import { auditListQuery, lockBody, mailFailureListQuery, userListQuery, userPatch } from './schemas';
import { listUsers } from './list-users';
import { listAuditEvents } from './audit-list';
import { listMailFailures } from './mail-failures';
import { userDetail, userSessionHistory, verificationState } from './user-detail';
import { lockUser, unlockUser } from './lock';
import { liftUserSuppression } from './suppression';
import { patchPermissions, updateUser } from './update';
import { deleteUser, restoreUser, revokeUserSessions } from './lifecycle';
import { resetUserMfa } from './mfa-reset';
import { toPage } from './pagination';
import { adminEvent, adminMailFailure, adminUser } from './serialize';
import { suspensionAdminRoutes } from '../suspension/admin-routes';
import { professionalAdminRoutes } from '../professional/admin-routes';
import { reportAdminRoutes } from '../reports/routes';

/** Body of PATCH read before validation, only to learn which permissions it needs. */
const patchNeeds = async (c: Context<AppEnv>) => {
  const body: unknown = await c.req.json().catch(() => ({}));
  return body && typeof body === 'object' ? patchPermissions(body as Record<string, unknown>) : [];
};

/** /api/v1/admin: staff only (see permissions.ts for who may do what). */
export const adminRoutes = new Hono<AppEnv>()
  .use(...adminAuth)
  .get('/users', authorize('users.read'), validate('query', userListQuery), async (c) => {
    const query = c.req.valid('query');
    const { count, rows } = await listUsers(createDb(c.env.DB), query);
    return c.json(toPage(c.req.url, query, count, rows.map(adminUser)));
  })
  .get('/users/:id', authorize('users.read'), async (c) => {
    return c.json(await userDetail(c.env, createDb(c.env.DB), c.req.param('id'), clock.now()));
  })
  .get('/users/:id/sessions', authorize('users.read'), async (c) => {
    return c.json(await userSessionHistory(createDb(c.env.DB), c.req.param('id')));
  })
  .get('/users/:id/verification', authorize('users.read'), async (c) => {
    return c.json(await verificationState(c.env, createDb(c.env.DB), c.req.param('id'), clock.now()));
  })
  .patch('/users/:id', authorize(patchNeeds), validate('json', userPatch), async (c) => {
    const user = await updateUser(adminContext(c), c.req.param('id'), c.req.valid('json'));
    return c.json(adminUser(user));
  })
  .delete('/users/:id', authorize('users.delete'), async (c) => {
    await deleteUser(adminContext(c), c.req.param('id'));
    return c.body(null, 204);
  })
  .post('/users/:id/restore', authorize('users.restore'), async (c) => {
    return c.json(adminUser(await restoreUser(adminContext(c), c.req.param('id'))));
  })
  .post('/users/:id/lock', authorize('users.lock'), validate('json', lockBody), async (c) => {
    const { minutes, reason } = c.req.valid('json');
    return c.json(await lockUser(adminContext(c), c.req.param('id'), minutes, reason));
  })
  .post('/users/:id/unlock', authorize('users.lock'), async (c) => {
    return c.json(await unlockUser(adminContext(c), c.req.param('id')));
  })
  .delete('/users/:id/suppression', authorize('users.unsuppress'), async (c) => {
    return c.json(await liftUserSuppression(adminContext(c), c.req.param('id')));
  })
  .post('/users/:id/revoke-sessions', authorize('users.revoke_sessions'), async (c) => {
    return c.json({ revoked: await revokeUserSessions(adminContext(c), c.req.param('id')) });
  })
  .post('/users/:id/reset-mfa', authorize('users.reset_mfa'), async (c) => {
    const { user, revoked } = await resetUserMfa(adminContext(c), c.req.param('id'));
    return c.json({ user: adminUser(user), revoked_sessions: revoked });
  })
  .get('/audit-events', authorize('audit.read'), validate('query', auditListQuery), async (c) => {
    const query = c.req.valid('query');
    const { count, rows } = await listAuditEvents(createDb(c.env.DB), query);
    return c.json(toPage(c.req.url, query, count, rows.map(adminEvent)));
  })
  .get('/mail-failures', authorize('mail.read'), validate('query', mailFailureListQuery), async (c) => {
    const query = c.req.valid('query');
    const { count, rows } = await listMailFailures(createDb(c.env.DB), query);
    return c.json(toPage(c.req.url, query, count, rows.map(adminMailFailure)));
  })
  // --- daily report (issue 14) ---
  .route('/', reportAdminRoutes)
  // --- social layer (issue 13) ---
  .route('/', suspensionAdminRoutes)
  .route('/', professionalAdminRoutes);
