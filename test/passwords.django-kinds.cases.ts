import { describe, expect, it } from 'vitest';
import dumpText from './fixtures/django/dump.json?raw';
import passwordsText from './fixtures/django/passwords.json?raw';
import { verifyPassword } from '../src/password/hashing';
import { parseDjangoArgon2 } from '../src/password/hashing/django-argon2';
import { parseDjangoBcrypt } from '../src/password/hashing/django-bcrypt';
import { djangoHashKind } from '../src/password/hashing/django-hashes';
import { toBase64, utf8 } from '../src/password/hashing/bytes';
import { pbkdf2Sha1, pbkdf2Sha1Js } from '../src/password/hashing/pbkdf2-sha1';

// Hashes written by a real Django 3.2 (Debian's python3-django, argon2-cffi, bcrypt): see
// test/fixtures/django/build_dump.py.
type Row = { model: string; fields: Record<string, unknown> };
const rows = JSON.parse(dumpText) as Row[];
const passwords = JSON.parse(passwordsText) as Record<string, string>;
const hashOf = (username: string) => rows.find((r) => r.model === 'accounts.user' && r.fields.username === username)!.fields.password as string;

describe('Django hashes made by Django', () => {
  const cases: [string, string][] = [
    ['ada', 'pbkdf2_sha256$1000000$'],
    ['ben', 'pbkdf2_sha256$600000$'],
    ['cleo', 'pbkdf2_sha256$260000$'],
    ['dan', 'pbkdf2_sha1$260000$'],
    ['eve', 'argon2$argon2id$v=19$m=102400,t=2,p=8$'],
    ['finn', 'argon2$argon2i$v=19$m=512,t=2,p=2$'],
    ['gus', 'bcrypt_sha256$$2b$12$'],
    ['hana', 'bcrypt$$2b$12$'],
  ];
  for (const [username, prefix] of cases) {
    it(`${prefix.split('$')[0]} (${username}: ${prefix}…) verifies, asks for a rehash, and refuses a wrong password`, async () => {
      const stored = hashOf(username);
      expect(stored.startsWith(prefix)).toBe(true);
      expect(await verifyPassword(passwords[username]!, stored)).toEqual({ ok: true, needsRehash: true });
      expect(await verifyPassword(`${passwords[username]!}x`, stored)).toEqual({ ok: false, needsRehash: false });
    });
  }

  it("refuses Django's unusable password (make_password(None)) like a wrong one", async () => {
    const stored = hashOf('ivy');
    expect(stored).toMatch(/^![A-Za-z0-9]{40}$/);
    expect(await verifyPassword('', stored)).toEqual({ ok: false, needsRehash: false });
    expect(await verifyPassword(stored, stored)).toEqual({ ok: false, needsRehash: false });
    expect(await verifyPassword(stored.slice(1), stored)).toEqual({ ok: false, needsRehash: false });
  });

  it('names each kind by its prefix', () => {
    expect(['ada', 'dan', 'eve', 'gus', 'hana'].map((u) => djangoHashKind(hashOf(u)))).toEqual(['pbkdf2_sha256', 'pbkdf2_sha1', 'argon2', 'bcrypt_sha256', 'bcrypt']);
    expect(djangoHashKind('scrypt$16384$8$5$a$b')).toBeNull();
  });
});

describe('Django hash formats refused without being computed', () => {
  it('argon2: tampered, out-of-range or malformed encodings', async () => {
    const stored = hashOf('finn');
    const [, , , params, salt, key] = stored.split('$');
    const bad = [
      stored.replace('argon2i$', 'argon2d$'),
      stored.replace('m=512', 'm=262144'),
      stored.replace('t=2', 't=99'),
      stored.replace('p=2', 'p=0'),
      `argon2$argon2i$v=19$${params}$${salt}$`,
      `argon2$argon2i$v=19$${params}$${salt}=$${key}`,
      `argon2$argon2i$v=18$${params}$${salt}$${key}`,
      `argon2$argon2i$v=19$${params}$${salt}$${key}$`,
    ];
    for (const text of bad) {
      expect(parseDjangoArgon2(text), text).toBeNull();
      expect(await verifyPassword(passwords.finn!, text), text).toEqual({ ok: false, needsRehash: false });
    }
    expect(await verifyPassword(passwords.finn!, stored.replace(/.$/, (c) => (c === 'A' ? 'B' : 'A')))).toEqual({ ok: false, needsRehash: false });
  });

  it('bcrypt: costs past the cap, other prefixes and truncated strings', async () => {
    const stored = hashOf('hana');
    for (const text of [stored.replace('$12$', '$15$'), stored.replace('$12$', '$03$'), stored.replace('$2b$', '$2x$'), stored.slice(0, -1), `bcrypt${stored.slice(6).replace('$$', '$')}`]) {
      expect(parseDjangoBcrypt(text), text).toBeNull();
      expect(await verifyPassword(passwords.hana!, text), text).toEqual({ ok: false, needsRehash: false });
    }
  });

  it('pbkdf2_sha1: a key of the wrong length is refused', async () => {
    const stored = hashOf('dan');
    const [alg, iterations, salt] = stored.split('$');
    expect(await verifyPassword(passwords.dan!, `${alg}$${iterations}$${salt}$${toBase64(new Uint8Array(32))}`)).toEqual({ ok: false, needsRehash: false });
  });
});

describe('pure-JS PBKDF2-HMAC-SHA1', () => {
  it('equals WebCrypto up to the production limit, and Python hashlib above it', async () => {
    const cases: [string, Uint8Array, number, number][] = [
      ['', utf8('salt'), 1, 20],
      ['x'.repeat(64), utf8('s'), 10, 20],
      ['x'.repeat(65), utf8('s'), 10, 45],
      ['pässwörd 🔑', crypto.getRandomValues(new Uint8Array(119)), 1000, 20],
    ];
    for (const [password, salt, iterations, length] of cases) {
      expect(pbkdf2Sha1Js(utf8(password), salt, iterations, length), `${password}/${iterations}`).toEqual(await pbkdf2Sha1(utf8(password), salt, iterations, length));
    }
    // python3 -c "import hashlib,base64;print(base64.b64encode(hashlib.pbkdf2_hmac('sha1',b'pw',b'salt',100001)))"
    expect(toBase64(await pbkdf2Sha1(utf8('pw'), utf8('salt'), 100_001, 20))).toBe(PY_SHA1_100001);
  });
});
const PY_SHA1_100001 = '1rE5ukSmgBjybH4n2Qjggh5Y2hk=';
