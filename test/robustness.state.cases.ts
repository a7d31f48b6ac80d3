import { beforeAll, describe, expect, it } from 'vitest';
import { randomIp, registration, STRONG_PASSWORD, uniqueEmail } from './helpers/api';
import { createVerifiedUser } from './helpers/users';
import { dbState, errorCode, fc, fcSettings, rowCounts, send } from './helpers/robustness';
import { hostileValue, NASTY_STRINGS } from './helpers/robustness-inputs';

/**
 * A refused registration leaves no trace: no user, profile, device or audit row.
 * Registration is where a half-done write would hurt most (a user row without its
 * profile, an address taken by a request that answered 400).
 */
const { seed, numRuns, timeoutMs } = fcSettings(40);
const TABLES = ['users', 'profiles', 'devices', 'password_history', 'audit_events'];
let takenEmail: string;

beforeAll(async () => {
  takenEmail = (await createVerifiedUser()).email;
});

async function register(body: string, ip = randomIp()) {
  const headers = { 'CF-Connecting-IP': ip, 'Content-Type': 'application/json' };
  return send({ method: 'POST', path: '/api/v1/auth/register', headers, body });
}

/** One field of a valid registration made bad: a wrong type, a nasty string, or gone. */
const brokenRegistration = fc
  .tuple(
    fc.constantFrom('email', 'password', 'password_confirm', 'username', 'phone_number', 'first_name', 'last_name', 'device'),
    fc.oneof(hostileValue, fc.constantFrom(...NASTY_STRINGS), fc.constant(undefined)),
  )
  .map(([field, value]) => {
    const body: Record<string, unknown> = registration({ email: uniqueEmail('refused') });
    if (value === undefined) delete body[field];
    else body[field] = value;
    return body;
  });

describe('robustness: refused registrations change nothing', () => {
  it('a registration refused for its body writes no row', async () => {
    let refused = 0;
    await fc.assert(
      fc.asyncProperty(brokenRegistration, async (body) => {
        const before = await dbState();
        const answer = await register(JSON.stringify(body));
        expect(answer.status, answer.text).toBeLessThan(500);
        if (answer.status < 400) return; // the change happened to be harmless: a real registration
        refused += 1;
        // A nasty value can also be an address, username or phone someone registered earlier in the run.
        expect(['validation_failed', 'payload_too_large', 'email_taken', 'username_taken', 'phone_taken']).toContain(errorCode(answer));
        expect(await dbState(), `refused ${JSON.stringify(body).slice(0, 200)} but D1 changed`).toBe(before);
      }),
      { seed, numRuns },
    );
    expect(refused).toBeGreaterThan(numRuns / 2);
  }, timeoutMs);

  it('a registration of a taken address adds no user, profile or device', async () => {
    const before = await rowCounts(['users', 'profiles', 'devices', 'password_history']);
    for (const email of [takenEmail, takenEmail.toUpperCase(), ` ${takenEmail} `]) {
      const answer = await register(JSON.stringify(registration({ email })));
      expect([answer.status, errorCode(answer)]).toEqual([409, 'email_taken']);
    }
    expect(await rowCounts(['users', 'profiles', 'devices', 'password_history'])).toEqual(before);
  });

  it('a registration refused by the per-IP limit writes nothing', async () => {
    const ip = randomIp();
    for (let i = 0; i < 3; i++) expect((await register(JSON.stringify(registration()), ip)).status).toBe(201);
    const before = await rowCounts(TABLES);
    const email = uniqueEmail('limited');
    const answer = await register(JSON.stringify({ email, password: STRONG_PASSWORD, password_confirm: STRONG_PASSWORD }), ip);
    expect([answer.status, errorCode(answer)]).toEqual([429, 'rate_limited']);
    expect(await rowCounts(TABLES)).toEqual(before);
  });
});
