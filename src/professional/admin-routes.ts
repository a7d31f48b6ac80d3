import { Hono } from 'hono';
import type { AppEnv } from '../http/context';
import { authorize } from '../admin/roles';
import { adminContext } from '../admin/context';
import { toPage } from '../admin/pagination';
import { validate } from '../http/validate';
import { serializeProfessional } from '../profiles/serialize';
import { professionalListQuery, verifyBody } from './schemas';
import { listProfessionals } from './service';
import { verifyProfessional } from './admin';
import { documented } from '../http/openapi';
import { pageOf } from '../http/page';
import { professionalAdminSchema } from '../profiles/responses';
import { dbOf } from '../http/db-session';

/** Mounted inside /api/v1/admin (after its staff authentication). */
export const professionalAdminRoutes = new Hono<AppEnv>()
  .get('/professional-profiles', documented({ tags: ['admin'], auth: 'bearer', summary: 'Professional profiles, with verification notes', responses: { 200: pageOf(professionalAdminSchema) } }), authorize('users.read'), validate('query', professionalListQuery), async (c) => {
    const query = c.req.valid('query');
    const staff = c.get('staff');
    const { count, rows } = await listProfessionals(dbOf(c), { id: staff.id, role: staff.role }, query);
    return c.json(toPage(c.req.url, query, count, rows.map((row) => ({ ...serializeProfessional(row), verification_note: row.verificationNote, verified_by: row.verifiedBy }))));
  })
  .post('/professional-profiles/:user_id/verify', documented({ tags: ['admin'], auth: 'bearer', summary: 'Verify (or unverify) a professional profile', responses: { 200: professionalAdminSchema } }), authorize('professional.verify'), validate('json', verifyBody), async (c) => {
    const { verified, note } = c.req.valid('json');
    const row = await verifyProfessional(adminContext(c), c.req.param('user_id'), verified, note);
    return c.json({ ...serializeProfessional(row), verification_note: row.verificationNote, verified_by: row.verifiedBy });
  });
