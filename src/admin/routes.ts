import { Hono, type Context } from 'hono';
import { adminContext } from './context';
import type { AppEnv } from '../http/context';
import { validate } from '../http/validate';
import { clock } from '../clock';
import { adminAuth } from './api-auth';
import { authorize } from './roles';
import { auditListQuery, eventReviewBody, lockBody, mailFailureListQuery, userListQuery, userPatch } from './schemas';
import { listUsers } from './list-users';
import { listAuditEvents } from './audit-list';
import { listMailFailures } from './mail-failures';
import { userDetail, userSessionHistory, verificationState } from './user-detail';
import { lockUser, unlockUser } from './lock';
import { liftUserSuppression } from './suppression';
import { patchPermissions, updateUser } from './update';
import { deleteUser, restoreUser, revokeUserSessions } from './lifecycle';
import { resetUserMfa } from './mfa-reset';
import { reviewEvent } from './event-review';
import { toPage } from './pagination';
import { adminEvent, adminMailFailure, adminUser } from './serialize';
import { suspensionAdminRoutes } from '../suspension/admin-routes';
import { professionalAdminRoutes } from '../professional/admin-routes';
import { jobsAdminRoutes } from './jobs-routes';
import { documented } from '../http/openapi';
import { pageOf } from '../http/page';
import * as z from 'zod';
import { adminEventSchema, adminMailFailureSchema, adminUserSchema, lockAnswerSchema, sessionHistorySchema, userDetailSchema, verificationStateSchema } from './responses';
import { reportAdminRoutes } from '../reports/routes';
import { dbOf } from '../http/db-session';

/** Body of PATCH read before validation, only to learn which permissions it needs. */
const patchNeeds = async (c: Context<AppEnv>) => {
  const body: unknown = await c.req.json().catch(() => ({}));
  return body && typeof body === 'object' ? patchPermissions(body as Record<string, unknown>) : [];
};

/** /api/v1/admin: staff only (see permissions.ts for who may do what). */
export const adminRoutes = new Hono<AppEnv>()
  .use(...adminAuth)
  .get('/users', documented({ tags: ['admin'], auth: 'bearer', summary: 'List and search users', responses: { 200: pageOf(adminUserSchema) } }), authorize('users.read'), validate('query', userListQuery), async (c) => {
    const query = c.req.valid('query');
    const { count, rows } = await listUsers(dbOf(c), query);
    return c.json(toPage(c.req.url, query, count, rows.map(adminUser)));
  })
  .get('/users/:id', documented({ tags: ['admin'], auth: 'bearer', summary: 'A user in detail (lock, sessions, devices, events, mail)', responses: { 200: userDetailSchema } }), authorize('users.read'), async (c) => {
    return c.json(await userDetail(c.env, dbOf(c), c.req.param('id'), clock.now()));
  })
  .get('/users/:id/sessions', documented({ tags: ['admin'], auth: 'bearer', summary: 'The session history of a user (open and ended)', responses: { 200: sessionHistorySchema } }), authorize('users.read'), async (c) => {
    return c.json(await userSessionHistory(dbOf(c), c.req.param('id')));
  })
  .get('/users/:id/verification', documented({ tags: ['admin'], auth: 'bearer', summary: 'Pending verification and codes of a user', responses: { 200: verificationStateSchema } }), authorize('users.read'), async (c) => {
    return c.json(await verificationState(c.env, dbOf(c), c.req.param('id'), clock.now()));
  })
  .patch('/users/:id', documented({ tags: ['admin'], auth: 'bearer', summary: 'Change a user (role, active, names, ...)', responses: { 200: adminUserSchema } }), authorize(patchNeeds), validate('json', userPatch), async (c) => {
    const user = await updateUser(adminContext(c), c.req.param('id'), c.req.valid('json'));
    return c.json(adminUser(user));
  })
  .delete('/users/:id', documented({ tags: ['admin'], auth: 'bearer', summary: 'Delete a user (soft; restorable)', responses: { 204: null } }), authorize('users.delete'), async (c) => {
    await deleteUser(adminContext(c), c.req.param('id'));
    return c.body(null, 204);
  })
  .post('/users/:id/restore', documented({ tags: ['admin'], auth: 'bearer', summary: 'Restore a deleted user', responses: { 200: adminUserSchema } }), authorize('users.restore'), async (c) => {
    return c.json(adminUser(await restoreUser(adminContext(c), c.req.param('id'))));
  })
  .post('/users/:id/lock', documented({ tags: ['admin'], auth: 'bearer', summary: 'Lock a user out for a while', responses: { 200: lockAnswerSchema } }), authorize('users.lock'), validate('json', lockBody), async (c) => {
    const { minutes, reason } = c.req.valid('json');
    return c.json(await lockUser(adminContext(c), c.req.param('id'), minutes, reason));
  })
  .post('/users/:id/unlock', documented({ tags: ['admin'], auth: 'bearer', summary: 'Lift a lock and the failure lockout', responses: { 200: lockAnswerSchema } }), authorize('users.lock'), async (c) => {
    return c.json(await unlockUser(adminContext(c), c.req.param('id')));
  })
  .delete('/users/:id/suppression', documented({ tags: ['admin'], auth: 'bearer', summary: 'Lift the mail suppression of a user', responses: { 200: z.object({ lifted: z.boolean() }) } }), authorize('users.unsuppress'), async (c) => {
    return c.json(await liftUserSuppression(adminContext(c), c.req.param('id')));
  })
  .post('/users/:id/revoke-sessions', documented({ tags: ['admin'], auth: 'bearer', summary: 'Sign out every session of a user', responses: { 200: z.object({ revoked: z.number().int().nonnegative() }) } }), authorize('users.revoke_sessions'), async (c) => {
    return c.json({ revoked: await revokeUserSessions(adminContext(c), c.req.param('id')) });
  })
  .post('/users/:id/reset-mfa', documented({ tags: ['admin'], auth: 'bearer', summary: 'Turn off two-factor authentication of a user', responses: { 200: z.object({ user: adminUserSchema, revoked_sessions: z.number().int().nonnegative() }) } }), authorize('users.reset_mfa'), async (c) => {
    const { user, revoked } = await resetUserMfa(adminContext(c), c.req.param('id'));
    return c.json({ user: adminUser(user), revoked_sessions: revoked });
  })
  .get('/audit-events', documented({ tags: ['admin'], auth: 'bearer', summary: 'Audit events', responses: { 200: pageOf(adminEventSchema) } }), authorize('audit.read'), validate('query', auditListQuery), async (c) => {
    const query = c.req.valid('query');
    const { count, rows } = await listAuditEvents(dbOf(c), query);
    return c.json(toPage(c.req.url, query, count, rows.map(adminEvent)));
  })
  .patch('/audit-events/:id', documented({ tags: ['admin'], auth: 'bearer', summary: 'Mark an event reviewed (once)', responses: { 200: adminEventSchema } }), authorize('audit.review'), validate('json', eventReviewBody), async (c) => {
    return c.json(adminEvent(await reviewEvent(adminContext(c), c.req.param('id'), c.req.valid('json'))));
  })
  .get('/mail-failures', documented({ tags: ['admin'], auth: 'bearer', summary: 'Mail that could not be delivered', responses: { 200: pageOf(adminMailFailureSchema) } }), authorize('mail.read'), validate('query', mailFailureListQuery), async (c) => {
    const query = c.req.valid('query');
    const { count, rows } = await listMailFailures(dbOf(c), query);
    return c.json(toPage(c.req.url, query, count, rows.map(adminMailFailure)));
  })
  // --- daily report (issue 14) ---
  .route('/', reportAdminRoutes)
  // --- social layer (issue 13) ---
  .route('/', suspensionAdminRoutes)
  .route('/', professionalAdminRoutes)
  // --- everyday jobs (issue 17) ---
  .route('/', jobsAdminRoutes);
