import { beforeAll, describe, expect, it } from 'vitest';
import { dummyVerify, hashPassword, SCRYPT_N, SCRYPT_P, SCRYPT_R, verifyPassword } from '../src/password/hashing';
import { PRODUCTION_SCRYPT_COST, useScryptCost } from '../src/password/hashing/scrypt';

// The rest of the suite hashes at a test cost (test/setup/fast-hashing.ts); this file
// checks what production runs.
beforeAll(() => useScryptCost({ ...PRODUCTION_SCRYPT_COST }));

describe('the cost new hashes use', () => {
  it('is production\'s unless a test lowers it: no module under src calls useScryptCost', () => {
    const sources = import.meta.glob('../src/**/*.{ts,tsx}', { query: '?raw', import: 'default', eager: true }) as Record<string, string>;
    expect(Object.keys(sources).length).toBeGreaterThan(50);
    const callers = Object.entries(sources)
      .filter(([path, text]) => !path.endsWith('/password/hashing/scrypt.ts') && text.includes('useScryptCost'))
      .map(([path]) => path);
    expect(callers).toEqual([]);
    expect(PRODUCTION_SCRYPT_COST).toEqual({ N: SCRYPT_N, r: SCRYPT_R, p: SCRYPT_P });
  });
});

const PASSWORD = 'correct horse battery staple';
// Generated on this machine: python3 hashlib.scrypt(b'correct horse battery staple',
// salt=bytes(range(16)), n=16384, r=8, p=<5|1>, dklen=32)
const PYTHON_CURRENT = 'scrypt$16384$8$5$AAECAwQFBgcICQoLDA0ODw==$D7lSJtJDGLLVcrxL7dWjkoRxbs+pMvcVYIJ+gbuyltk=';
const PYTHON_WEAKER = 'scrypt$16384$8$1$AAECAwQFBgcICQoLDA0ODw==$11kKyiyYAc8G7rp3KmncMc44YlkdllIqxOa7pq0fMaU=';

describe('hashPassword / verifyPassword (scrypt)', () => {
  it('round-trips and needs no rehash with current parameters', async () => {
    const stored = await hashPassword(PASSWORD);
    expect(await verifyPassword(PASSWORD, stored)).toEqual({ ok: true, needsRehash: false });
  });

  it('refuses a wrong password', async () => {
    const stored = await hashPassword(PASSWORD);
    expect(await verifyPassword('correct horse battery stapler', stored)).toEqual({ ok: false, needsRehash: false });
    expect(await verifyPassword('', stored)).toEqual({ ok: false, needsRehash: false });
  });

  it('uses a fresh salt every time', async () => {
    const [a, b] = await Promise.all([hashPassword(PASSWORD), hashPassword(PASSWORD)]);
    expect(a).not.toBe(b);
    expect(a.split('$')[4]).not.toBe(b.split('$')[4]);
  });

  it('writes scrypt$N$r$p$salt$key with the current parameters, 16-byte salt and 32-byte key', async () => {
    const stored = await hashPassword(PASSWORD);
    const [name, n, r, p, salt, key] = stored.split('$');
    expect([name, Number(n), Number(r), Number(p)]).toEqual(['scrypt', SCRYPT_N, SCRYPT_R, SCRYPT_P]);
    expect(atob(salt!)).toHaveLength(16);
    expect(atob(key!)).toHaveLength(32);
    expect(stored).not.toContain(PASSWORD);
  });

  it('meets one of OWASP\'s scrypt rows (N=2^17 p=1 or an equivalent) within 16 MiB', () => {
    const owaspRows = [[2 ** 17, 1], [2 ** 16, 2], [2 ** 15, 3], [2 ** 14, 5], [2 ** 13, 10]] as const;
    const meets = owaspRows.some(([n, p]) => SCRYPT_N >= n && SCRYPT_P >= p && SCRYPT_R >= 8);
    expect(meets).toBe(true);
    expect(128 * SCRYPT_N * SCRYPT_R).toBeLessThanOrEqual(16 * 1024 * 1024);
  });

  it('verifies hashes computed by Python hashlib.scrypt (interoperable format)', async () => {
    expect(await verifyPassword(PASSWORD, PYTHON_CURRENT)).toEqual({ ok: true, needsRehash: false });
    expect(await verifyPassword('wrong', PYTHON_CURRENT)).toEqual({ ok: false, needsRehash: false });
  });

  it('asks for a rehash of a hash with weaker parameters, only when the password is right', async () => {
    expect(await verifyPassword(PASSWORD, PYTHON_WEAKER)).toEqual({ ok: true, needsRehash: true });
    expect(await verifyPassword('wrong', PYTHON_WEAKER)).toEqual({ ok: false, needsRehash: false });
  });

  it('refuses a tampered hash: key, salt or parameters changed', async () => {
    const stored = await hashPassword(PASSWORD);
    const parts = stored.split('$');
    const flip = (b64: string) => btoa(String.fromCharCode(...[...atob(b64)].map((c, i) => c.charCodeAt(0) ^ (i === 0 ? 1 : 0))));
    const variants = [
      [...parts.slice(0, 5), flip(parts[5]!)],
      [...parts.slice(0, 4), flip(parts[4]!), parts[5]!],
      [parts[0]!, parts[1]!, parts[2]!, '4', parts[4]!, parts[5]!],
      [parts[0]!, String(2 ** 13), ...parts.slice(2)],
    ];
    for (const variant of variants) {
      expect(await verifyPassword(PASSWORD, variant.join('$'))).toEqual({ ok: false, needsRehash: false });
    }
  });

  it('answers ok=false, without throwing, for unknown or malformed hashes', async () => {
    const key = 'D7lSJtJDGLLVcrxL7dWjkoRxbs+pMvcVYIJ+gbuyltk=';
    const salt = 'AAECAwQFBgcICQoLDA0ODw==';
    const bad = [
      '',
      PASSWORD,
      `plain$${PASSWORD}`,
      '$2b$12$R9h/cIPz0gi.URNNX3kh2OPST9/PgBkqquzi.Ss7KIUgO2t0jWMUW', // bcrypt
      '$argon2id$v=19$m=65536,t=3,p=4$c29tZXNhbHQ$RdescudvJCsgt3ub+b+dWRWJTmaaJObG',
      'pbkdf2_sha1$260000$seasalt$q6j1Dr0bE6tWHPt8tDd4rO5ehi4=',
      'md5$seasalt$f5531bef9f3687d0ccf0f617f0e25573',
      `scrypt$16384$8$5$${salt}`,
      `scrypt$16384$8$5$${salt}$${key}$extra`,
      `scrypt$16383$8$5$${salt}$${key}`, // N not a power of two
      `scrypt$${2 ** 30}$8$1$${salt}$${key}`, // 128 GiB
      `scrypt$16384$8$100000$${salt}$${key}`, // endless work
      `scrypt$016384$8$5$${salt}$${key}`,
      `scrypt$16384$0$5$${salt}$${key}`,
      `scrypt$16384$8$5$not base64!$${key}`,
      `scrypt$16384$8$5$${salt}$${key.slice(0, -1)}`,
      `scrypt$16384$8$5$${salt}$`,
      `SCRYPT$16384$8$5$${salt}$${key}`,
      `scrypt$1.6e4$8$5$${salt}$${key}`,
    ];
    for (const stored of bad) {
      await expect(verifyPassword(PASSWORD, stored), stored).resolves.toEqual({ ok: false, needsRehash: false });
    }
  });
});

describe('NFKC normalization', () => {
  it('verifies a password typed in fullwidth characters against its NFKC form', async () => {
    const stored = await hashPassword('Passw0rd-Ünïcode');
    expect((await verifyPassword('Ｐａｓｓｗ０ｒｄ－Ünïcode', stored)).ok).toBe(true);
  });

  it('treats composed and decomposed accents, and ligatures, as the same password', async () => {
    const decomposed = 'cafe\u0301 ﬁnance'; // e + combining acute, "fi" ligature
    const stored = await hashPassword(decomposed);
    expect((await verifyPassword('café finance', stored)).ok).toBe(true);
    expect((await verifyPassword('cafe finance', stored)).ok).toBe(false);
  });
});

describe('dummyVerify', () => {
  it('always refuses', async () => {
    expect(await dummyVerify(PASSWORD)).toEqual({ ok: false, needsRehash: false });
  });
});

describe('cost in the test runtime (printed, not asserted)', () => {
  it('measures one hashPassword and one verifyPassword', async () => {
    const stored = await hashPassword(PASSWORD); // warm-up
    const runs = 5;
    let start = performance.now();
    for (let i = 0; i < runs; i++) await hashPassword(PASSWORD);
    const hashMs = (performance.now() - start) / runs;
    start = performance.now();
    for (let i = 0; i < runs; i++) await verifyPassword(PASSWORD, stored);
    const verifyMs = (performance.now() - start) / runs;
    console.log(`scrypt N=${SCRYPT_N} r=${SCRYPT_R} p=${SCRYPT_P}: hash ${hashMs.toFixed(1)} ms, verify ${verifyMs.toFixed(1)} ms`);
    expect(hashMs).toBeGreaterThan(0);
  });
});
