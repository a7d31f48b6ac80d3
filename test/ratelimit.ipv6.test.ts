import { afterEach, describe, expect, it } from 'vitest';
import { env } from 'cloudflare:workers';
import { setClock } from '../src/clock';
import { ipLimitKey, ipv6Groups } from '../src/ratelimit/client-ip';
import { uniqueEmail } from './helpers/api';
import { callWorker, expectLimited } from './otp.helpers';

afterEach(() => setClock(null));

/** A fresh /64 in the documentation prefix 2001:db8::/32. */
function uniquePrefix(): string {
  const [a, b] = crypto.getRandomValues(new Uint16Array(2));
  return `2001:db8:${a!.toString(16)}:${b!.toString(16)}`;
}

const verifyToken = (ip: string) =>
  callWorker('/api/v1/auth/token/verify', { body: { token: 'not-a-token' }, ip, env: { LIMIT_ANONYMOUS: '2/60' } });

describe('per-IP limits count IPv6 clients by their /64 (finding 11)', () => {
  it('two addresses in one /64 share one budget, written in any form', async () => {
    setClock({ now: () => Date.UTC(2026, 8, 1) });
    const prefix = uniquePrefix();
    expect((await verifyToken(`${prefix}::1`)).status).toBe(401);
    expect((await verifyToken(`${prefix.toUpperCase()}:0:0:0:2`)).status).toBe(401);
    expectLimited(await verifyToken(`${prefix}:ffff:ffff:ffff:ffff`), 60);
  });

  it('different /64s, even next to each other, keep their own budgets', async () => {
    setClock({ now: () => Date.UTC(2026, 8, 1) });
    const prefix = uniquePrefix();
    const neighbour = prefix.replace(/[0-9a-f]+$/, (g) => ((parseInt(g, 16) + 1) % 0x10000).toString(16));
    for (let i = 0; i < 2; i++) expect((await verifyToken(`${prefix}::${i + 1}`)).status).toBe(401);
    expectLimited(await verifyToken(`${prefix}::9`));
    expect((await verifyToken(`${neighbour}::1`)).status).toBe(401);
  });

  it('an IPv4-mapped address shares the budget of its IPv4 address', async () => {
    setClock({ now: () => Date.UTC(2026, 8, 1) });
    const [c, d] = crypto.getRandomValues(new Uint8Array(2));
    const v4 = `203.0.${c}.${d}`;
    const call = (ip: string) => callWorker('/api/v1/auth/otp/request', { body: { email: uniqueEmail() }, ip, env: { LIMIT_OTP_REQUEST: '2/600' } });
    expect((await call(v4)).status).toBe(200);
    expect((await call(`::FFFF:${v4}`)).status).toBe(200);
    expectLimited(await call(`0:0:0:0:0:ffff:${v4}`));
  });

  it('audit rows keep the full address', async () => {
    const prefix = uniquePrefix();
    const ip = `${prefix}:1234:5678:9abc:def0`;
    const email = uniqueEmail('v6');
    const res = await callWorker('/api/v1/auth/login', { body: { email, password: 'Definitely-Wrong-77' }, ip });
    expect(res.status).toBe(401);
    const row = await env.DB.prepare("SELECT ip FROM audit_events WHERE type = 'login_failed' AND ip LIKE ?").bind(`${prefix}%`).first();
    expect(row).toEqual({ ip });
  });
});

describe('ipLimitKey', () => {
  it.each([
    ['2001:db8:1:2:3:4:5:6', '2001:db8:1:2::/64'],
    ['2001:0DB8:0001:0002:0003:0004:0005:0006', '2001:db8:1:2::/64'],
    ['2001:db8:1:2::', '2001:db8:1:2::/64'],
    ['2001:db8::1', '2001:db8:0:0::/64'],
    ['2001:db8:0:0:ffff::1', '2001:db8:0:0::/64'],
    ['::1', '0:0:0:0::/64'],
    ['::', '0:0:0:0::/64'],
    ['fe80::1%eth0', 'fe80:0:0:0::/64'],
    ['  2001:DB8:A::B  ', '2001:db8:a:0::/64'],
    ['::ffff:192.0.2.1', '192.0.2.1'],
    ['::FFFF:c000:0201', '192.0.2.1'],
    ['0:0:0:0:0:ffff:192.0.2.1', '192.0.2.1'],
    ['64:ff9b::192.0.2.1', '64:ff9b:0:0::/64'],
    ['192.0.2.1', '192.0.2.1'],
    [' 198.51.100.7 ', '198.51.100.7'],
    ['unknown', 'unknown'],
  ])('%j -> %j', (ip, key) => {
    expect(ipLimitKey(ip)).toBe(key);
  });

  it('keeps what is not an address as it came, rather than guessing', () => {
    for (const junk of ['1::2::3', '2001:db8:1:2:3:4:5:6:7', '2001:db8:1:2:3:4:5', 'g::1', '12345::', ':1:2:3:4:5:6:7', '::1.2.3.256', '1.2.3.4::', `${'1:'.repeat(40)}1`]) {
      expect(ipv6Groups(junk), junk).toBeNull();
      expect(ipLimitKey(junk), junk).toBe(junk.toLowerCase());
    }
  });

  it('expands "::" to the right number of zero groups', () => {
    expect(ipv6Groups('1:2:3::6:7:8')).toEqual([1, 2, 3, 0, 0, 6, 7, 8]);
    expect(ipv6Groups('1:2:3:4:5:6:7::')).toEqual([1, 2, 3, 4, 5, 6, 7, 0]);
    expect(ipv6Groups('1:2:3:4:5:6:7:8')).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(ipv6Groups('1:2:3:4::5:6:7:8')).toBeNull();
  });
});
