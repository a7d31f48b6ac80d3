/**
 * npm run import-django:large-dump -- <users> <file>
 *
 * Writes a dumpdata-shaped file of <users> users (each with a UserProfile, UserSettings, a
 * follow and a badge award; hashes copied from the real Django fixture), streamed to disk,
 * to measure the importer's memory and time on a big dump (README "Moving from Django").
 */
import { createWriteStream, readFileSync } from 'node:fs';
import { once } from 'node:events';

const [countText = '100000', file = 'large-dump.json'] = process.argv.slice(2);
const users = Number(countText);
const fixture = JSON.parse(readFileSync(new URL('../../test/fixtures/django/dump.json', import.meta.url), 'utf8')) as { model: string; fields: Record<string, unknown> }[];
const hashes = fixture.filter((r) => r.model === 'accounts.user').map((r) => r.fields.password as string);

const out = createWriteStream(file);
let first = true;
async function write(record: unknown): Promise<void> {
  const text = `${first ? '[\n' : ',\n'}${JSON.stringify(record)}`;
  first = false;
  if (!out.write(text)) await once(out, 'drain');
}

const uuid = (n: number) => `00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;
const joined = (n: number) => new Date(Date.UTC(2020, 0, 1) + n * 60_000).toISOString();
await write({ model: 'badges.badgedefinition', pk: 1, fields: { name: 'Welcome', slug: 'welcome', category: 'special', criteria: { type: 'manual' }, points: 5, rarity: 'common', is_active: true, created_at: joined(0) } });
for (let n = 1; n <= users; n++) {
  await write({
    model: 'accounts.user',
    pk: uuid(n),
    fields: {
      password: hashes[n % hashes.length], last_login: null, is_superuser: false, email: `user${n}@example.com`, username: `user${n}`,
      phone_number: n % 3 === 0 ? `0300${String(n).padStart(7, '0')}` : null, first_name: 'Test', last_name: `User ${n}`,
      is_active: true, is_staff: false, is_verified: true, role: 'user', account_type: 'normal', date_joined: joined(n), groups: [], user_permissions: [],
    },
  });
}
for (let n = 1; n <= users; n++) {
  await write({ model: 'social.userprofile', pk: n, fields: { user: uuid(n), display_name: `User ${n}`, bio: 'x'.repeat(200), country: 'PK', is_private: n % 10 === 0, created_at: joined(n), updated_at: joined(n) } });
  await write({ model: 'social.usersettings', pk: n, fields: { user: uuid(n), theme: 'dark', language: 'en', timezone: 'Asia/Karachi', created_at: joined(n), updated_at: joined(n) } });
  await write({ model: 'social.follow', pk: n, fields: { follower: uuid(n), following: uuid((n % users) + 1), status: 'accepted', created_at: joined(n) } });
  await write({ model: 'badges.userbadge', pk: n, fields: { user: uuid(n), badge: 1, earned_at: joined(n), is_featured: false, progress_data: {} } });
}
out.end('\n]\n');
await once(out, 'finish');
console.log(`${file}: ${users} users`);
