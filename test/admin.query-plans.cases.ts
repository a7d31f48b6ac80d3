import { describe, expect, it } from 'vitest';
import { env } from 'cloudflare:workers';
import { desc, eq, sql } from 'drizzle-orm';
import { createDb } from '../src/db/client';
import { auditEvents, devices, mailFailures, users } from '../src/db/schema';
import { userListOrder, userListWhere } from '../src/admin/list-users';
import { auditListOrder, auditListWhere } from '../src/admin/audit-list';
import { userListQuery, auditListQuery } from '../src/admin/schemas';

const db = createDb(env.DB);

/** SQLite's plan for a drizzle query, one line per step. */
async function plan(query: { toSQL(): { sql: string; params: unknown[] } }): Promise<string[]> {
  const { sql: text, params } = query.toSQL();
  const { results } = await env.DB.prepare(`EXPLAIN QUERY PLAN ${text}`).bind(...params).all<{ detail: string }>();
  return results.map((r) => r.detail);
}

const usersPage = (raw: Record<string, string>) => {
  const query = userListQuery.parse(raw);
  return db.select().from(users).where(userListWhere(query)).orderBy(...userListOrder(query)).limit(25);
};
const usersCount = (raw: Record<string, string>) => db.select({ n: sql`count(*)` }).from(users).where(userListWhere(userListQuery.parse(raw)));
const auditPage = (raw: Record<string, string>) => {
  const query = auditListQuery.parse(raw);
  return db.select().from(auditEvents).where(auditListWhere(query)).orderBy(...auditListOrder).limit(25);
};

/** No step reads a whole table; `SCAN x USING INDEX` (a full index walk) counts as a scan too. */
function expectNoScan(steps: string[]) {
  expect(steps.filter((s) => /^SCAN /.test(s)), steps.join(' | ')).toEqual([]);
}

describe('query plans of the admin hot filters', () => {
  it('users list: default, each filter and the trash are index searches that need no sort', async () => {
    const cases: [Record<string, string>, string][] = [
      [{}, 'users_deleted_joined_idx'],
      [{ role: 'admin' }, 'users_role_deleted_joined_idx'],
      [{ is_active: 'false' }, 'users_active_deleted_joined_idx'],
      [{ email_verified: 'false' }, 'users_verified_deleted_joined_idx'],
      [{ deleted: 'true' }, 'users_deleted_at_idx'],
    ];
    for (const [filters, index] of cases) {
      const steps = await plan(usersPage(filters));
      expectNoScan(steps);
      expect(steps.join(' | '), JSON.stringify(filters)).toContain(`SEARCH users USING INDEX ${index}`);
      expect(steps.join(' | ')).not.toContain('TEMP B-TREE');
    }
  });

  it('users search: one index range per searched column (email, username, lower(first_name), lower(last_name)), with any filter', async () => {
    for (const filters of [{ search: 'Ada' }, { search: 'ada lovelace', role: 'manager', is_active: 'true' }] as Record<string, string>[]) {
      const steps = await plan(usersPage(filters));
      expectNoScan(steps);
      const text = steps.join(' | ');
      expect(text).toContain('MULTI-INDEX OR');
      for (const index of ['users_email_unique', 'users_username_key_unique', 'users_first_name_lower_idx', 'users_last_name_lower_idx']) {
        expect(text).toContain(`SEARCH users USING INDEX ${index}`);
      }
    }
    expectNoScan(await plan(usersCount({ search: 'ada' })));
  });

  it('users count uses an index', async () => {
    for (const filters of [{}, { role: 'user' }, { deleted: 'true' }] as Record<string, string>[]) {
      const steps = await plan(usersCount(filters));
      expectNoScan(steps);
      expect(steps.join(' | ')).toMatch(/SEARCH users USING (COVERING )?INDEX/);
    }
  });

  it('audit events: user, actor, type, severity and since each lead an index in created_at order', async () => {
    const cases: [Record<string, string>, RegExp][] = [
      [{ user: 'u1' }, /SEARCH audit_events USING INDEX audit_events_user_created_idx \(user_id=\?\)/],
      [{ actor: 'a1' }, /SEARCH audit_events USING INDEX audit_events_actor_created_idx \(actor_id=\?\)/],
      [{ type: 'login_failed' }, /SEARCH audit_events USING INDEX audit_events_type_created_idx \(type=\?\)/],
      [{ severity: 'high' }, /SEARCH audit_events USING INDEX audit_events_severity_created_idx \(severity=\?\)/],
      [{ since: '2026-01-01T00:00:00Z' }, /SEARCH audit_events USING INDEX audit_events_created_idx \(created_at>\?\)/],
      [{ user: 'u1', since: '2026-01-01T00:00:00Z' }, /SEARCH audit_events USING INDEX audit_events_user_created_idx \(user_id=\? AND created_at>\?\)/],
    ];
    for (const [filters, expected] of cases) {
      const steps = await plan(auditPage(filters));
      expectNoScan(steps);
      expect(steps.join(' | ')).toMatch(expected);
      expect(steps.join(' | ')).not.toContain('TEMP B-TREE');
    }
  });

  it('user detail reads: devices, mail failures by recipient and the suppression by key', async () => {
    const steps = [
      ...(await plan(db.select().from(devices).where(eq(devices.userId, 'u1')).orderBy(desc(devices.lastSeenAt)))),
      ...(await plan(db.select().from(mailFailures).where(eq(mailFailures.recipient, 'a@example.com')).orderBy(desc(mailFailures.createdAt)))),
    ];
    expectNoScan(steps);
    expect(steps.join(' | ')).toContain('SEARCH devices USING INDEX devices_user_fingerprint_unique (user_id=?)');
    expect(steps.join(' | ')).toContain('SEARCH mail_failures USING INDEX mail_failures_recipient_idx (recipient=?)');
  });
});
