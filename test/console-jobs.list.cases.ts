import { describe, expect, it } from 'vitest';
import { env } from 'cloudflare:workers';
import { createDb } from '../src/db/client';
import { users } from '../src/db/schema';
import { userListOrder, userListWhere } from '../src/admin/list-users';
import { userListQuery } from '../src/admin/schemas';

const db = createDb(env.DB);

async function plan(raw: Record<string, string>): Promise<string> {
  const query = userListQuery.parse(raw);
  const { sql, params } = db.select().from(users).where(userListWhere(query)).orderBy(...userListOrder(query)).limit(25).toSQL();
  const { results } = await env.DB.prepare(`EXPLAIN QUERY PLAN ${sql}`).bind(...params).all<{ detail: string }>();
  return results.map((r) => r.detail).join(' | ');
}

describe('users list: the new filter and sort keys', () => {
  it('the mfa_enabled filter is an index search that needs no sort', async () => {
    const steps = await plan({ mfa_enabled: 'true' });
    expect(steps).toContain('SEARCH users USING INDEX users_mfa_deleted_joined_idx');
    expect(steps).not.toContain('TEMP B-TREE');
  });

  it('sorting the live accounts by email or username reads them in order from an index (no sort step)', async () => {
    for (const ordering of ['email', '-username']) {
      const steps = await plan({ ordering });
      expect(steps, ordering).toMatch(/SEARCH users USING INDEX users_deleted_(email|username)_idx \(deleted_at=\?\)/);
      expect(steps, ordering).not.toContain('TEMP B-TREE');
    }
  });
});

describe('console stylesheet: the narrow layout', () => {
  it('lets the header wrap and tables scroll inside themselves below 700 px', async () => {
    // A static asset (public/admin/assets/), read as the browser gets it.
    const CONSOLE_CSS = await (await env.ASSETS.fetch('https://assets.invalid/admin/assets/console.css')).text();
    const narrow = CONSOLE_CSS.slice(CONSOLE_CSS.indexOf('@media (max-width: 700px)'));
    expect(narrow).toContain('header.top { flex-wrap: wrap;');
    expect(narrow).toContain('table { display: block; overflow-x: auto; width: max-content; max-width: 100%; }');
  });
});
