import { env } from 'cloudflare:workers';
import { afterEach, describe, expect, it } from 'vitest';
import { setClock } from '../src/clock';
import { LineChart, labelPositions, niceMax, plotPoints, tickValues } from '../src/reports/chart';
import { api } from './helpers/api';
import { createVerifiedUser, login } from './helpers/users';
import { ConsoleBrowser } from './console.fixtures';

afterEach(() => setClock(null));

const NOW = Date.UTC(2031, 6, 15, 12, 0, 0);

async function signedInAs(role: 'admin' | 'manager' | 'user') {
  const user = await createVerifiedUser();
  await env.DB.prepare('UPDATE users SET role = ? WHERE id = ?').bind(role, user.id).run();
  return { ...user, token: (await login(user)).access };
}

async function seedStats(days: string[]) {
  for (const [i, day] of days.entries()) {
    await env.DB.prepare(
      'INSERT OR REPLACE INTO daily_stats (day, signups, logins, active_users, sessions_ended, avg_session_seconds, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
    )
      .bind(day, i + 1, 10 * (i + 1), 5 + i, i, 60 * (i + 2), NOW)
      .run();
  }
}

describe('GET /admin/stats', () => {
  it('returns the daily_stats rows of the range, oldest first', async () => {
    await seedStats(['2031-07-01', '2031-07-02', '2031-07-03', '2031-07-04']);
    const admin = await signedInAs('admin');
    const res = await api('/api/v1/admin/stats?from=2031-07-02&to=2031-07-03', { token: admin.token });
    expect(res.status).toBe(200);
    expect(res.body.from).toBe('2031-07-02');
    expect(res.body.results).toEqual([
      { day: '2031-07-02', signups: 2, verifications: 0, logins: 20, login_failures: 0, lockouts: 0, mails_sent: 0, mails_failed: 0, active_users: 6, sessions_ended: 1, avg_session_seconds: 180 },
      { day: '2031-07-03', signups: 3, verifications: 0, logins: 30, login_failures: 0, lockouts: 0, mails_sent: 0, mails_failed: 0, active_users: 7, sessions_ended: 2, avg_session_seconds: 240 },
    ]);
  });

  it('defaults to the 30 days up to yesterday', async () => {
    let now = NOW;
    setClock({ now: () => now });
    const manager = await signedInAs('manager');
    const res = await api('/api/v1/admin/stats', { token: manager.token });
    expect(res.status).toBe(200);
    expect([res.body.from, res.body.to]).toEqual(['2031-06-15', '2031-07-14']);
  });

  it('refuses bad dates, a backwards range and one longer than 366 days, with 400', async () => {
    const admin = await signedInAs('admin');
    for (const query of ['from=2031-02-30', 'to=yesterday', 'from=2031-07-10&to=2031-07-01', 'from=2030-01-01&to=2031-07-01', 'from=2031-7-1']) {
      const res = await api(`/api/v1/admin/stats?${query}`, { token: admin.token });
      expect([query, res.status, res.body.error.code]).toEqual([query, 400, 'validation_failed']);
    }
    const full = await api('/api/v1/admin/stats?from=2030-07-01&to=2031-07-01', { token: admin.token });
    expect(full.status).toBe(200); // exactly 366 days
  });

  it('is for staff only', async () => {
    const user = await signedInAs('user');
    expect((await api('/api/v1/admin/stats', { token: user.token })).status).toBe(403);
  });
});

describe('the console daily report', () => {
  it('draws the figures as inline SVG, without script', async () => {
    await seedStats(['2031-05-01', '2031-05-02', '2031-05-03']);
    const admin = await signedInAs('admin');
    const browser = new ConsoleBrowser();
    await browser.signIn(admin.email, admin.password);
    const page = await browser.get('/admin/stats?from=2031-05-01&to=2031-05-03');
    expect(page.status).toBe(200);
    expect(page.html).toContain('<svg');
    expect(page.html.match(/<polyline /g)).toHaveLength(4); // three series, then one
    expect(page.html).not.toMatch(/<script/i);
    expect(page.html).toContain('2031-05-02');
    const bad = await browser.get('/admin/stats?from=2031-05-03&to=2031-05-01');
    expect(bad.status).toBe(400);
    expect(bad.html).toContain('Must not be after');
  });
});

describe('the console user page', () => {
  it('shows the session history: open and ended sessions, how they ended and where from', async () => {
    const admin = await signedInAs('admin');
    const user = await createVerifiedUser();
    const first = await login(user);
    await api('/api/v1/auth/logout', { body: { refresh: first.refresh } });
    await login(user);
    const browser = new ConsoleBrowser();
    await browser.signIn(admin.email, admin.password);
    const page = await browser.get(`/admin/users/${user.id}`);
    expect(page.status).toBe(200);
    const from = page.html.indexOf('Session history');
    const section = page.html.slice(from, page.html.indexOf('</table>', from));
    expect(section).toContain('class="session-history"');
    expect(section.match(/<td>logout<\/td>/g)).toHaveLength(1);
    expect(section.match(/<td>open<\/td>/g)).toHaveLength(1);
  });
});

describe('the SVG chart', () => {
  it('rounds the scale up to 1, 2 or 5 times a power of ten', () => {
    expect([0, 1, 3, 7, 10, 11, 99, 420].map(niceMax)).toEqual([1, 1, 5, 10, 10, 20, 100, 500]);
  });

  it('draws grid lines at whole numbers', () => {
    expect(tickValues(50)).toEqual([0, 10, 20, 30, 40, 50]);
    expect(tickValues(200)).toEqual([0, 50, 100, 150, 200]);
    expect(tickValues(2)).toEqual([0, 1, 2]);
    expect(tickValues(1)).toEqual([0, 1]);
  });

  it('places values evenly across, 0 at the bottom and the scale top at the top', () => {
    const box = { x: 10, y: 20, width: 100, height: 50 };
    expect(plotPoints([0, 5, 10], 10, box)).toEqual([
      [10, 70],
      [60, 45],
      [110, 20],
    ]);
    expect(plotPoints([4], 8, box)).toEqual([[60, 45]]);
  });

  it('labels at most seven days, always the first and the last', () => {
    expect(labelPositions(0)).toEqual([]);
    expect(labelPositions(3)).toEqual([0, 1, 2]);
    expect(labelPositions(30)).toEqual([0, 5, 10, 15, 19, 24, 29]);
  });

  it('escapes what it is given', () => {
    const html = String(LineChart({ title: '<b>x</b>', labels: ['a'], series: [{ name: '<i>', values: [1], color: '#000' }] }));
    expect(html).not.toContain('<b>');
    expect(html).not.toContain('<i>');
  });
});
