import { describe, expect, it } from 'vitest';
import { base32Decode, base32Encode } from '../src/mfa/base32';
import { hotp, matchTotp, timeStep, totpAt } from '../src/mfa/totp';
import { otpauthUri } from '../src/mfa/otpauth';
import { oathtool } from './helpers/mfa';

const ascii = (text: string) => new TextEncoder().encode(text);
/** The SHA-1 seed of RFC 4226 Appendix D and RFC 6238 Appendix B. */
const RFC_SEED = ascii('12345678901234567890');
const RFC_SEED_BASE32 = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';

function randomSecret(): { bytes: Uint8Array; base32: string } {
  const bytes = crypto.getRandomValues(new Uint8Array(20));
  return { bytes, base32: base32Encode(bytes, { pad: false }) };
}

/** A random instant between 2001 and 2286 (10-digit Unix seconds), in ms. */
const randomTime = () => (1_000_000_000 + Math.floor(Math.random() * 8_999_999_999)) * 1000;

describe('RFC vectors', () => {
  it('HOTP: RFC 4226 Appendix D, counters 0-9', async () => {
    const expected = ['755224', '287082', '359152', '969429', '338314', '254676', '287922', '162583', '399871', '520489'];
    const actual = await Promise.all(expected.map((_, counter) => hotp(RFC_SEED, counter)));
    expect(actual).toEqual(expected);
  });

  // RFC 6238 Appendix B, SHA-1 column (8 digits), and the same instants from oathtool.
  const vectors: [number, string][] = [
    [59, '94287082'],
    [1111111109, '07081804'],
    [1111111111, '14050471'],
    [1234567890, '89005924'],
    [2000000000, '69279037'],
    [20000000000, '65353130'],
  ];
  it.each(vectors)('TOTP: RFC 6238 at T=%i is %s, here and in oathtool', async (seconds, code) => {
    expect(await totpAt(RFC_SEED, seconds * 1000, 8)).toBe(code);
    expect(await oathtool(RFC_SEED_BASE32, seconds * 1000, 8)).toBe(code);
    // Six digits are the last six of the same truncation.
    expect(await totpAt(RFC_SEED, seconds * 1000)).toBe(code.slice(2));
  });

  it('RFC 6238 time steps: T0 = 0, X = 30 s', () => {
    expect(timeStep(59_000)).toBe(1);
    expect(timeStep(1_111_111_109_000)).toBe(0x23523ec);
    expect(timeStep(20_000_000_000_000)).toBe(0x27bc86aa);
  });

  it('base32: RFC 4648 §10 vectors, both ways', () => {
    const cases: [string, string][] = [
      ['', ''],
      ['f', 'MY======'],
      ['fo', 'MZXQ===='],
      ['foo', 'MZXW6==='],
      ['foob', 'MZXW6YQ='],
      ['fooba', 'MZXW6YTB'],
      ['foobar', 'MZXW6YTBOI======'],
    ];
    for (const [plain, encoded] of cases) {
      expect(base32Encode(ascii(plain))).toBe(encoded);
      expect(new TextDecoder().decode(base32Decode(encoded)!)).toBe(plain);
    }
    expect(base32Encode(RFC_SEED, { pad: false })).toBe(RFC_SEED_BASE32);
    expect(base32Decode('gezd gnbv gy3t qojq gezd gnbv gy3t qojq')).toEqual(RFC_SEED);
    expect(base32Decode('GEZDGNBVGY3TQOJ1')).toBeNull();
  });
});

describe('against oathtool (random secrets and instants)', () => {
  it('gives oathtool’s code for 25 random secrets at random instants and now', async () => {
    const instants = [Date.now(), ...Array.from({ length: 24 }, randomTime)];
    for (const at of instants) {
      const secret = randomSecret();
      expect(await totpAt(secret.bytes, at), `secret ${secret.base32} at ${at}`).toBe(await oathtool(secret.base32, at));
    }
  });

  it('accepts oathtool’s codes of the previous, current and next step, and no further', async () => {
    for (let i = 0; i < 5; i++) {
      const secret = randomSecret();
      const now = i === 0 ? Date.now() : randomTime();
      const step = timeStep(now);
      for (const offset of [-1, 0, 1]) {
        const code = await oathtool(secret.base32, now + offset * 30_000);
        expect(await matchTotp(secret.bytes, code, now), `offset ${offset}`).toBe(step + offset);
      }
      for (const offset of [-2, 2]) {
        const code = await oathtool(secret.base32, now + offset * 30_000);
        // A random code can coincide with a window code once in ~330,000: skip only then.
        const inWindow = await Promise.all([-1, 0, 1].map((o) => totpAt(secret.bytes, now + o * 30_000)));
        if (!inWindow.includes(code)) expect(await matchTotp(secret.bytes, code, now), `offset ${offset}`).toBeNull();
      }
    }
  });

  it('refuses codes of another secret and malformed input', async () => {
    const mine = randomSecret();
    const other = randomSecret();
    const now = Date.now();
    const theirs = await oathtool(other.base32, now);
    const window = await Promise.all([-1, 0, 1].map((o) => totpAt(mine.bytes, now + o * 30_000)));
    if (!window.includes(theirs)) expect(await matchTotp(mine.bytes, theirs, now)).toBeNull();
    expect(await matchTotp(mine.bytes, '', now)).toBeNull();
    expect(await matchTotp(mine.bytes, (await totpAt(mine.bytes, now)) + '0', now)).toBeNull();
  });
});

describe('otpauth URI', () => {
  it('names issuer and account in the label and the issuer parameter, with the secret and the parameters', () => {
    const uri = otpauthUri('Gatehouse', 'ada@example.com', RFC_SEED_BASE32);
    expect(uri).toBe(
      `otpauth://totp/Gatehouse:ada%40example.com?secret=${RFC_SEED_BASE32}&issuer=Gatehouse&algorithm=SHA1&digits=6&period=30`,
    );
  });

  it('percent-encodes names with spaces and colons so the label still splits in two', () => {
    const uri = new URL(otpauthUri('Acme Corp: Staff', 'grace+hopper@example.com', RFC_SEED_BASE32));
    expect(uri.protocol).toBe('otpauth:');
    const label = decodeURIComponent(uri.pathname.replace(/^\/\/totp\//, '').replace(/^\//, ''));
    expect(uri.href).toContain('/Acme%20Corp%3A%20Staff:grace%2Bhopper%40example.com?');
    expect(label).toBe('Acme Corp: Staff:grace+hopper@example.com');
    expect(uri.searchParams.get('issuer')).toBe('Acme Corp: Staff');
    expect(uri.searchParams.get('secret')).toBe(RFC_SEED_BASE32);
  });
});
