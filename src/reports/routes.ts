import { Hono } from 'hono';
import type { AppEnv } from '../http/context';
import { validate } from '../http/validate';
import { validationError } from '../http/errors';
import { clock } from '../clock';
import { authorize } from '../admin/roles';
import { dailyReport } from './daily-report';
import { reportRange, statsQuery } from './schemas';
import { documented } from '../http/openapi';
import { dailyReportSchema } from './responses';
import { dbOf } from '../http/db-session';

/** GET /admin/stats?from=&to= (staff): the daily_stats rows of a range of at most 366 days. */
export const reportAdminRoutes = new Hono<AppEnv>().get('/stats', documented({ tags: ['admin'], auth: 'bearer', summary: 'Daily statistics of a range of days (at most 366; the last 30 by default)', responses: { 200: dailyReportSchema } }), authorize('stats.read'), validate('query', statsQuery), async (c) => {
  const range = reportRange(c.req.valid('query'), clock.now());
  if ('field' in range) throw validationError({ [range.field]: [range.message] });
  return c.json(await dailyReport(dbOf(c), range));
});
