import { env } from 'cloudflare:workers';
import { expect } from 'vitest';
import { auditInsert } from '../../src/audit/record';
import { clock } from '../../src/clock';
import { createDb } from '../../src/db/client';
import { devices } from '../../src/db/schema';
import { accountStatements, newUserRow } from '../../src/registration/register';
import { hashPassword } from '../../src/password/hashing';
import { normalizeEmail, normalizeUsername, usernameKey } from '../../src/users/normalize';
import { normalizedPhone } from './phone';
import { api, registration, STRONG_PASSWORD } from './api';

export interface TestUser {
  id: string;
  email: string;
  password: string;
  username?: string;
  phone_number?: string;
}

export interface DeviceFields {
  fingerprint_hash: string;
  device_type?: string;
  browser?: string;
  os?: string;
}

/** Fields a test may set on a seeded user; the rest come from registration(). */
export interface UserOverrides {
  email?: string;
  username?: string;
  phone_number?: string;
  first_name?: string;
  last_name?: string;
  device?: DeviceFields;
}

/**
 * A verified user, written straight into D1 with the rows registration writes (user,
 * profile, first password-history entry, device, `user_registered` event), for tests that
 * are not about registering. Its password hash is the real scrypt hash of STRONG_PASSWORD,
 * computed once per test file (each file has its own module instance) instead of once per
 * user: a login checks it for real. Registration itself, and its mail, are tested through
 * the API in register*.test.ts and verify-email.test.ts (registerVerifiedUser below).
 */
export async function createVerifiedUser(overrides: UserOverrides = {}): Promise<TestUser> {
  const fields = registration({ ...overrides });
  const email = normalizeEmail(fields.email.trim());
  const username = overrides.username ? normalizeUsername(overrides.username) : null;
  const phone = overrides.phone_number ? normalizedPhone(overrides.phone_number) : null;
  if (overrides.phone_number && !phone) throw new Error(`not a phone number: ${overrides.phone_number}`);
  const id = crypto.randomUUID();
  const now = clock.now();
  const at = new Date(now);
  const passwordHash = await knownPasswordHash();
  const db = createDb(env.DB);
  const device = overrides.device
    ? [
        db.insert(devices).values({
          id: crypto.randomUUID(),
          userId: id,
          fingerprintHash: overrides.device.fingerprint_hash,
          deviceType: overrides.device.device_type ?? '',
          browser: overrides.device.browser ?? '',
          os: overrides.device.os ?? '',
          firstSeenAt: at,
          lastSeenAt: at,
        }),
      ]
    : [];
  const user = {
    ...newUserRow(
      {
        keys: { email, usernameKey: username ? usernameKey(username) : null, phoneNumber: phone },
        username,
        password: STRONG_PASSWORD,
        firstName: fields.first_name.trim(),
        lastName: fields.last_name.trim(),
      },
      passwordHash,
      now,
    ),
    id,
    emailVerified: true,
  };
  await db.batch([
    ...accountStatements(db, user, now),
    ...device,
    auditInsert(db, { type: 'user_registered', userId: id, actorId: id, ip: '198.51.100.1', userAgent: null, at: now }),
  ]);
  return { id, email, password: STRONG_PASSWORD, username: overrides.username, phone_number: phone ?? undefined };
}

let knownHash: Promise<string> | undefined;

/** scrypt of STRONG_PASSWORD with the current parameters, once per test file. */
export function knownPasswordHash(): Promise<string> {
  knownHash ??= hashPassword(STRONG_PASSWORD);
  return knownHash;
}

/** Registers through the API (a real hash, the registration mail), then marks the address verified. */
export async function registerVerifiedUser(overrides: Record<string, unknown> = {}): Promise<TestUser> {
  const body = registration(overrides);
  const res = await api('/api/v1/auth/register', { body });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  await env.DB.prepare('UPDATE users SET email_verified = 1 WHERE id = ?').bind(res.body.user.id).run();
  return { id: res.body.user.id, email: body.email, password: STRONG_PASSWORD, username: overrides.username as string | undefined, phone_number: res.body.user.phone_number ?? undefined };
}

export async function login(user: Pick<TestUser, 'email' | 'password'>, extra: Record<string, unknown> = {}) {
  const res = await api('/api/v1/auth/login', { body: { email: user.email, password: user.password, ...extra }, settle: true });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body as { access: string; refresh: string; token_type: string; expires_in: number; user: Record<string, unknown> };
}
