import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { randomIp } from './helpers/api';
import { createVerifiedUser, login } from './helpers/users';
import { checkOne, describeRequest, errorCode } from './helpers/robustness';

/**
 * What the robustness suite found, pinned as plain cases so they stay fixed whatever
 * seed the random runs use. Each failed (a 500) before its fix.
 */
function get(path: string, headers: Record<string, string> = {}) {
  const all = { 'CF-Connecting-IP': randomIp(), ...headers };
  return checkOne({ method: 'GET', path, headers: all, describe: describeRequest('GET', path, all) });
}

describe('robustness findings', () => {
  it('GET and DELETE /dev/mailbox refuse an address longer than any address (KV keys stop at 512 bytes)', async () => {
    for (const to of ['a'.repeat(70_000), `${'é'.repeat(200)}@example.com`]) {
      const answer = await get(`/dev/mailbox?to=${encodeURIComponent(to)}`);
      expect([answer.status, errorCode(answer)]).toEqual([400, 'validation_failed']);
      const headers = { 'CF-Connecting-IP': randomIp() };
      const path = `/dev/mailbox?to=${encodeURIComponent(to)}`;
      const deleted = await checkOne({ method: 'DELETE', path, headers, describe: describeRequest('DELETE', path, headers) });
      expect([deleted.status, errorCode(deleted)]).toEqual([400, 'validation_failed']);
    }
  });
});

describe('robustness: a valid token whose account is gone or incomplete', () => {
  it('GET /auth/me answers 401 for a soft-deleted account and a blank profile for a missing profile row, never 500', async () => {
    const user = await createVerifiedUser();
    const { access } = await login(user);
    const authorization = { Authorization: `Bearer ${access}` };
    await env.DB.prepare('DELETE FROM profiles WHERE user_id = ?').bind(user.id).run();
    const noProfile = await get('/api/v1/auth/me', authorization);
    expect(noProfile.status).toBe(200);
    expect((noProfile.json as { profile: Record<string, string> }).profile).toMatchObject({ bio: '', website: '' });
    await env.DB.prepare('UPDATE users SET deleted_at = ? WHERE id = ?').bind(Date.now(), user.id).run();
    const gone = await get('/api/v1/auth/me', authorization);
    expect([gone.status, errorCode(gone)]).toEqual([401, 'unauthorized']);
  });
});
