import type { Staff } from '../../admin/context';
import type { DailyReport } from '../../reports/daily-report';
import { LineChart } from '../../reports/chart';
import { Layout } from './layout';
import { ErrorBox } from './parts';
import { duration } from './session-history';

export interface StatsPageProps {
  staff: Staff;
  csrf: string;
  raw: Record<string, string>;
  report: DailyReport | null;
  error?: string;
}

/** The daily figures (daily_stats) of a range: two charts, then the numbers themselves. */
export function StatsPage({ staff, csrf, raw, report, error }: StatsPageProps) {
  const rows = report?.results ?? [];
  const labels = rows.map((r) => r.day.slice(5));
  return (
    <Layout title="Daily report" staff={staff} csrf={csrf}>
      <h1>Daily report</h1>
      <p class="muted">One row per finished UTC day, written by the scheduled jobs (daily stats, session analytics every 20 minutes).</p>
      <form class="filters" method="get" action="/admin/stats">
        <label>
          From
          <input name="from" type="date" value={raw.from ?? report?.from ?? ''} />
        </label>
        <label>
          To
          <input name="to" type="date" value={raw.to ?? report?.to ?? ''} />
        </label>
        <button type="submit">Show</button>
      </form>
      <ErrorBox message={error} />
      {report && rows.length === 0 ? <p class="muted">No figures for {report.from} to {report.to} yet.</p> : null}
      {rows.length ? (
        <>
          <h2>Activity</h2>
          <LineChart
            title={`Active users, logins and sign-ups per day, ${report!.from} to ${report!.to}`}
            labels={labels}
            series={[
              { name: 'Active users', values: rows.map((r) => r.active_users), color: '#0969da' },
              { name: 'Logins', values: rows.map((r) => r.logins), color: '#1a7f37' },
              { name: 'Sign-ups', values: rows.map((r) => r.signups), color: '#bf8700' },
            ]}
          />
          <h2>Sessions</h2>
          <LineChart
            title={`Average session length (minutes) per day, ${report!.from} to ${report!.to}`}
            labels={labels}
            series={[{ name: 'Avg session (min)', values: rows.map((r) => Math.round(r.avg_session_seconds / 60)), color: '#8250df' }]}
          />
          <h2>Figures</h2>
          <table>
            <thead>
              <tr>
                <th>Day</th>
                <th>Active users</th>
                <th>Logins</th>
                <th>Failed logins</th>
                <th>Sign-ups</th>
                <th>Sessions ended</th>
                <th>Avg session</th>
                <th>Mail sent / failed</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr>
                  <td>{r.day}</td>
                  <td>{r.active_users}</td>
                  <td>{r.logins}</td>
                  <td>{r.login_failures}</td>
                  <td>{r.signups}</td>
                  <td>{r.sessions_ended}</td>
                  <td>{duration(r.avg_session_seconds)}</td>
                  <td>
                    {r.mails_sent} / {r.mails_failed}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      ) : null}
    </Layout>
  );
}
