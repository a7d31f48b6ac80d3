import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { createDb } from '../src/db/client';
import { auditInsert } from '../src/audit/record';
import { clock } from '../src/clock';
import { createVerifiedUser } from './helpers/users';
import { adminApi, signedIn } from './admin.fixtures';
import { eventRows } from './events.fixtures';
import { ConsoleBrowser, textOf } from './console.fixtures';

const db = createDb(env.DB);

async function seedFlagged(userId: string, targetUser: string) {
  const at = clock.now();
  const [[flagged], [plain], [risky], [targeted]] = await db.batch([
    auditInsert(db, { type: 'mfa_disabled', userId, actorId: userId, at }).returning(),
    auditInsert(db, { type: 'page_view', userId, actorId: userId, at }).returning(),
    auditInsert(db, { type: 'account_locked', userId, severity: 'critical', at }).returning(),
    auditInsert(db, { type: 'like', userId, actorId: userId, targetUser, at }).returning(),
  ]);
  return { flagged: flagged!, plain: plain!, risky: risky!, targeted: targeted! };
}

describe('admin: audit-event filters and review', () => {
  it('filters by requires_review, reviewed, target_user and min_risk', async () => {
    const admin = await signedIn('admin');
    const user = await createVerifiedUser();
    const target = await createVerifiedUser();
    const rows = await seedFlagged(user.id, target.id);
    const ids = async (q: string) => (await adminApi(admin, `/audit-events?user=${user.id}&${q}`)).body.results.map((e: any) => e.id).sort();
    expect(await ids('requires_review=true')).toEqual([rows.flagged.id, rows.risky.id].sort());
    expect(await ids('requires_review=false&category=client')).toEqual([rows.plain.id]);
    expect(await ids('reviewed=false&requires_review=true')).toHaveLength(2);
    expect(await ids(`target_user=${target.id}`)).toEqual([rows.targeted.id]);
    expect(await ids('min_risk=70')).toEqual([rows.risky.id]);
    expect((await adminApi(admin, '/audit-events?min_risk=101')).status).toBe(400);

    const reviewed = await adminApi(admin, `/audit-events/${rows.flagged.id}`, { method: 'PATCH', body: { reviewed: true, note: 'asked the user: it was them' } });
    expect(reviewed.status, JSON.stringify(reviewed.body)).toBe(200);
    expect(reviewed.body).toMatchObject({ id: rows.flagged.id, reviewed_by: admin.id, review_note: 'asked the user: it was them', requires_review: true });
    expect(reviewed.body.reviewed_at).toBeTruthy();
    expect(await ids('reviewed=true')).toEqual([rows.flagged.id]);
    expect(await ids('reviewed=false&requires_review=true')).toEqual([rows.risky.id]);
  });

  it('audits a review once, even when two arrive at once, and keeps the first', async () => {
    const admin = await signedIn('admin');
    const manager = await signedIn('manager');
    const user = await createVerifiedUser();
    const { flagged } = await seedFlagged(user.id, user.id);
    const [a, b] = await Promise.all([
      adminApi(admin, `/audit-events/${flagged.id}`, { method: 'PATCH', body: { reviewed: true, note: 'one' } }),
      adminApi(manager, `/audit-events/${flagged.id}`, { method: 'PATCH', body: { reviewed: true, note: 'two' } }),
    ]);
    expect([a.status, b.status]).toEqual([200, 200]);
    const audits = await eventRows("type = 'event_reviewed' AND json_extract(metadata, '$.event_id') = ?", flagged.id);
    expect(audits).toHaveLength(1);
    const [row] = await eventRows('id = ?', flagged.id);
    expect(audits[0]!.actor_id).toBe(row!.reviewed_by);
    expect(a.body.review_note).toBe(row!.review_note);
    expect(b.body.review_note).toBe(row!.review_note);
  });

  it('refuses bad review bodies, unknown ids and plain users', async () => {
    const admin = await signedIn('admin');
    const user = await signedIn('user');
    const { flagged } = await seedFlagged(user.id, user.id);
    for (const body of [{ reviewed: false }, {}, { reviewed: true, note: 'x'.repeat(1001) }, { reviewed: true, extra: 1 }]) {
      expect((await adminApi(admin, `/audit-events/${flagged.id}`, { method: 'PATCH', body })).status, JSON.stringify(body)).toBe(400);
    }
    expect((await adminApi(admin, '/audit-events/no-such-event', { method: 'PATCH', body: { reviewed: true } })).status).toBe(404);
    expect((await adminApi(user, `/audit-events/${flagged.id}`, { method: 'PATCH', body: { reviewed: true } })).status).toBe(403);
    const [row] = await eventRows('id = ?', flagged.id);
    expect(row!.reviewed_at).toBeNull();
  });

  it('the console audit page filters by review state, risk and target', async () => {
    const admin = await signedIn('admin');
    const user = await createVerifiedUser();
    const target = await createVerifiedUser();
    await seedFlagged(user.id, target.id);
    const browser = new ConsoleBrowser();
    await browser.signIn(admin.email, admin.password);
    const flagged = await browser.get(`/admin/audit?user=${user.id}&requires_review=true`);
    expect(flagged.status).toBe(200);
    const listed = (html: string) => [...html.matchAll(/class="event-type">([a-z_]+)/g)].map((m) => m[1]).sort();
    expect(listed(flagged.html)).toEqual(['account_locked', 'mfa_disabled']);
    expect(textOf(flagged.html)).toContain('Flagged for review');
    expect(listed((await browser.get(`/admin/audit?user=${user.id}&min_risk=70`)).html)).toEqual(['account_locked']);
    expect(listed((await browser.get(`/admin/audit?target_user=${target.id}`)).html)).toEqual(['like']);
    expect(listed((await browser.get(`/admin/audit?user=${user.id}&reviewed=false&category=client`)).html)).toEqual(['page_view']);
  });
});
