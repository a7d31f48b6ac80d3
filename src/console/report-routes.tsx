import { Hono } from 'hono';
import type { AppEnv } from '../http/context';
import { fieldErrors } from '../http/validate';
import { clock } from '../clock';
import { authorize } from '../admin/roles';
import { dailyReport } from '../reports/daily-report';
import { reportRange, statsQuery } from '../reports/schemas';
import { render } from './render';
import { StatsPage } from './pages/stats';
import { dbOf } from '../http/db-session';

/** The daily report page: the admin API's query behind a GET form. */
export const reportRoutes = new Hono<AppEnv>().get('/stats', authorize('stats.read'), async (c) => {
  const raw = c.req.query();
  const common = { staff: c.get('staff'), csrf: c.get('csrf'), raw };
  const parsed = statsQuery.safeParse(raw);
  const range = parsed.success ? reportRange(parsed.data, clock.now()) : null;
  if (!parsed.success || !range || 'field' in range) {
    const error = parsed.success && range && 'field' in range ? `${range.field}: ${range.message}` : describe(parsed.error);
    return render(c, <StatsPage {...common} report={null} error={error} />, 400);
  }
  return render(c, <StatsPage {...common} report={await dailyReport(dbOf(c), range)} />);
});

const describe = (error: Parameters<typeof fieldErrors>[0] | undefined) =>
  error
    ? Object.entries(fieldErrors(error))
        .map(([field, messages]) => `${field}: ${messages.join(' ')}`)
        .join('; ')
    : 'Invalid range.';
