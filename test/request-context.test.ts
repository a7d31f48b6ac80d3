import { afterEach, describe, expect, it, vi } from 'vitest';
import { createVerifiedUser, login } from './helpers/users';
import { brokenQueue, callWorker } from './otp.helpers';

afterEach(() => vi.restoreAllMocks());

/** Every JSON log line written while `run` runs. */
async function logLinesOf<T>(run: () => Promise<T>): Promise<{ result: T; lines: Record<string, unknown>[] }> {
  const raw: string[] = [];
  for (const level of ['log', 'warn', 'error'] as const) vi.spyOn(console, level).mockImplementation((line: unknown) => void raw.push(String(line)));
  const result = await run();
  vi.restoreAllMocks();
  const lines = raw.flatMap((line) => {
    try {
      return [JSON.parse(line) as Record<string, unknown>];
    } catch {
      return [];
    }
  });
  return { result, lines };
}

describe('a best-effort mail that cannot be queued', () => {
  it('leaves the action done and logs the failure with the request id and the user', async () => {
    const user = await createVerifiedUser();
    const { access } = await login(user);
    const newPassword = 'Brand-New-Harbour-58';
    const { result: res, lines } = await logLinesOf(() =>
      callWorker('/api/v1/auth/password/change', {
        token: access,
        body: { current_password: user.password, new_password: newPassword },
        env: { MAIL_QUEUE: brokenQueue },
      }),
    );
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const failure = lines.find((line) => line.msg === 'password-changed notice not queued');
    expect(failure).toMatchObject({ level: 'error', request_id: res.headers.get('X-Request-Id'), user_id: user.id, error_message: 'queue unavailable' });
    // The change stood: the new password signs in.
    await login({ email: user.email, password: newPassword });
  });

  it('during a sign-in (new-device notice) still signs in, and names the request', async () => {
    const user = await createVerifiedUser();
    await login(user, { device: { fingerprint_hash: 'first-device', device_type: 'desktop', browser: 'Firefox', os: 'Linux' } });
    const device = { fingerprint_hash: 'second-device', device_type: 'phone', browser: 'Safari', os: 'iOS' };
    const { result: res, lines } = await logLinesOf(() =>
      callWorker('/api/v1/auth/login', { body: { email: user.email, password: user.password, device }, env: { MAIL_QUEUE: brokenQueue } }),
    );
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(lines.find((line) => line.msg === 'new sign-in notice not queued')).toMatchObject({ request_id: res.headers.get('X-Request-Id'), user_id: user.id });
  });
});
