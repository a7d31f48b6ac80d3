import { Hono } from 'hono';
import type { AppEnv } from '../http/context';
import { authorize } from '../admin/roles';
import { adminContext } from '../admin/context';
import { validate } from '../http/validate';
import { suspendBody, suspendUser, unsuspendUser } from './admin';
import { documented } from '../http/openapi';
import { suspensionSchema } from '../admin/responses';

/** Mounted inside /api/v1/admin (after its staff authentication). */
export const suspensionAdminRoutes = new Hono<AppEnv>()
  .post('/users/:id/suspend', documented({ tags: ['admin'], auth: 'bearer', summary: 'Suspend a user (may sign in and read, not act socially)', responses: { 200: suspensionSchema } }), authorize('users.suspend'), validate('json', suspendBody), async (c) => {
    return c.json(await suspendUser(adminContext(c), c.req.param('id'), c.req.valid('json').reason));
  })
  .post('/users/:id/unsuspend', documented({ tags: ['admin'], auth: 'bearer', summary: 'Lift a suspension', responses: { 200: suspensionSchema } }), authorize('users.suspend'), async (c) => {
    return c.json(await unsuspendUser(adminContext(c), c.req.param('id')));
  });
