import fc from 'fast-check';

/**
 * Hostile input for the robustness suite: strings, JSON values, raw bodies, content
 * types, headers, path segments and query strings. Each is a fast-check arbitrary, so a
 * failing case shrinks to something small and replays from its seed.
 */

const enc = new TextEncoder();

/** Strings that have broken services before: unicode edge cases, injections, sizes, lookalikes. */
export const NASTY_STRINGS = [
  '',
  ' ',
  '\u0000',
  'a\u0000b',
  '\uD800', // lone high surrogate
  '\uDFFF', // lone low surrogate
  'x\uD83D', // emoji cut in half
  '\uD83D\uDE00',
  '\u202Eadmin\u202C', // right-to-left override
  'שלום مرحبا',
  '\u200B\u200C\u200D\u2060', // zero-width characters
  '\uFEFF', // BOM
  'e\u0301\u0301\u0301\u0301', // stacked combining marks
  '\uFDFA', // NFKC expands to 18 characters
  'ﬃ'.repeat(200), // ligatures that NFKC expands threefold
  '𝔸𝕕𝕞𝕚𝕟',
  '👨‍👩‍👧‍👦'.repeat(50),
  '\t\r\n\v\f',
  '%00',
  '%ZZ',
  '../../../../etc/passwd',
  "' OR '1'='1' --",
  '"; DROP TABLE users; --',
  '<script>alert(1)</script>',
  '{{7*7}}${7*7}',
  '__proto__',
  'constructor',
  'toString',
  'hasOwnProperty',
  'NaN',
  'Infinity',
  '-0',
  '1e309',
  '0x10',
  '9'.repeat(400),
  ' Admin@Example.COM ',
  'a@b',
  'user@[127.0.0.1]',
  `${'a'.repeat(250)}@example.com`,
  '+14155550123',
  '+1 (415) 555-0123 ext. 9',
  '123456',
  '000000',
  'Velvet-Otter-Garden-92',
  'a'.repeat(5_000),
  'a'.repeat(70_000), // past the 64 KiB body cap once quoted
];

/** Field names the API reads somewhere, plus keys that trip naive object handling. */
export const FIELD_NAMES = [
  'email', 'password', 'password_confirm', 'username', 'phone_number', 'first_name', 'last_name', 'device',
  'token', 'code', 'refresh', 'identifier', 'new_password', 'current_password', 'mfa_token', 'profile',
  'role', 'is_active', 'email_verified', 'bio', 'avatar_url', 'website', 'timezone', 'language', 'location',
  'fingerprint_hash', 'device_type', 'browser', 'os', 'id', 'user', 'deleted_at', 'password_hash',
];
const HOSTILE_KEYS = ['__proto__', 'constructor', 'prototype', '', ' ', 'toString', 'valueOf', 'a'.repeat(300), '\u0000', '\uD800', 'e\u0301'];

export const QUERY_KEYS = [
  'token', 'to', 'search', 'role', 'email_verified', 'is_active', 'deleted', 'ordering', 'page', 'page_size',
  'user', 'actor', 'type', 'severity', 'since', 'recipient', 'template', 'access_token', 'next', 'id',
];

const BIG_NUMBERS = [0, -1, 1, 2 ** 31, 2 ** 53 + 1, -(2 ** 63), 1e308, -1e308, 5e-324, 0.5];

export const hostileString: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...NASTY_STRINGS) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 40 }) },
  { weight: 1, arbitrary: fc.emailAddress() },
  { weight: 1, arbitrary: fc.nat({ max: 999_999 }).map((n) => String(n).padStart(6, '0')) },
);

/** Any JSON value, leaning towards what type checks and handlers trip on. */
export const hostileValue: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    { weight: 4, arbitrary: hostileString },
    { weight: 1, arbitrary: fc.constantFrom(...BIG_NUMBERS, null, true, false) },
    { weight: 1, arbitrary: fc.integer() },
    { weight: 1, arbitrary: fc.array(tie('value'), { maxLength: 4 }) },
    { weight: 1, arbitrary: fc.dictionary(fc.oneof(fc.constantFrom(...FIELD_NAMES), fc.string({ maxLength: 8 })), tie('value'), { maxKeys: 4 }) },
  ),
})).value;

/**
 * A body object from a plausible one (every field the API reads, with workable values),
 * each field kept, dropped or replaced with hostile values, plus stray keys. Close
 * enough to valid that some cases reach the handlers behind the validators.
 */
export function mutatedObject(plausible: Record<string, unknown>): fc.Arbitrary<Record<string, unknown>> {
  const fields = Object.entries(plausible).map(([key, value]) =>
    fc.oneof(
      { weight: 2, arbitrary: fc.constant([key, value] as const) },
      { weight: 2, arbitrary: fc.constant(null) },
      { weight: 1, arbitrary: hostileValue.map((v) => [key, v] as const) },
    ),
  );
  const extra = fc.array(fc.tuple(fc.oneof(fc.constantFrom(...FIELD_NAMES), fc.string({ maxLength: 6 })), hostileValue), { maxLength: 2 });
  return fc.tuple(fc.tuple(...fields), extra).map(([kept, stray]) => {
    const out: Record<string, unknown> = {};
    for (const entry of [...kept, ...stray]) if (entry) define(out, entry[0], entry[1]);
    return out;
  });
}

/** Sets an own property even for "__proto__", as JSON.parse would. */
function define(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

const nested = (depth: number, open: string, close: string, core = '1') => open.repeat(depth) + core + close.repeat(depth);

/** JSON-ish texts with the traps that parsers and handlers meet: duplicates, prototypes, depth, syntax. */
export const RAW_TEXTS = [
  '{"email":"a@example.com","email":{"$gt":""},"password":"x","password":"Velvet-Otter-Garden-92"}',
  '{"__proto__":{"role":"admin","is_active":true},"email":"proto@example.com","password":"x","password_confirm":"x"}',
  '{"constructor":{"prototype":{"role":"admin"}},"refresh":"a.b.c"}',
  '{"__proto__":null}',
  '{"toString":"x","valueOf":1,"hasOwnProperty":false}',
  nested(10_000, '[', ']'),
  nested(5_000, '{"a":', '}'),
  nested(600, '{"device":', '}', '{}'),
  nested(600, '{"profile":', '}', '{}'),
  '{"email": "a@example.com",}',
  "{'email': 'a@example.com'}",
  '{"email": NaN, "password": Infinity}',
  '{"code": 123456, "email": 1e999}',
  '{"a": 1 /* comment */}',
  '{"email":"\\ud800@example.com","password":"\\udfff\\udfff\\udfff\\udfff\\udfff\\udfff\\udfff\\udfff"}',
  '{"password":"\\u0000\\u0000\\u0000\\u0000\\u0000\\u0000\\u0000\\u0000","email":"nul\\u0000@example.com"}',
  '{"email":"a@example.com"',
  '"just a string"',
  'null',
  'true',
  '[]',
  '[{"email":"a@example.com"}]',
  '0',
  '-',
  '\uFEFF{"email":"bom@example.com"}',
  '   ',
  '{}',
  `{"first_name":"${'\u202E'.repeat(100)}","username":"${'\u200B'.repeat(100)}"}`,
  `[${'1,'.repeat(20_000)}1]`,
  `{${Array.from({ length: 2_000 }, (_, i) => `"k${i}":${i}`).join(',')}}`,
];

/** Bytes that are not valid UTF-8, and other encodings of JSON. */
export const RAW_BYTES: Uint8Array[] = [
  new Uint8Array([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x3a, 0x31, 0x7d]), // {"\xff\xfe":1}
  new Uint8Array([0x7b, 0x22, 0x65, 0x22, 0x3a, 0x22, 0xc0, 0xaf, 0x22, 0x7d]), // overlong "/"
  new Uint8Array([0x7b, 0x22, 0x65, 0x22, 0x3a, 0x22, 0xed, 0xa0, 0x80, 0x22, 0x7d]), // UTF-8 encoded surrogate
  new Uint8Array([0x7b, 0x22, 0x65, 0x22, 0x3a, 0x22, 0xf4, 0x90, 0x80, 0x80, 0x22, 0x7d]), // past U+10FFFF
  new Uint8Array([0x7b, 0x22, 0x65, 0x22, 0x3a, 0x22, 0xe2, 0x82, 0x22, 0x7d]), // truncated sequence
  new Uint8Array([0xef, 0xbb, 0xbf, ...enc.encode('{"email":"bom@example.com"}')]), // UTF-8 BOM
  new Uint8Array([0xff, 0xfe, ...[...'{"email":"x"}'].flatMap((ch) => [ch.charCodeAt(0), 0])]), // UTF-16LE
  new Uint8Array([0x00, 0x00, 0x00, 0x00]),
  new Uint8Array(2048).fill(0x80),
  enc.encode('\u0000{"email":"a@example.com"}'),
];

/** Raw bodies: JSON-ish texts or undecodable bytes. */
export const rawBody: fc.Arbitrary<string | Uint8Array> = fc.oneof(fc.constantFrom(...RAW_TEXTS), fc.constantFrom(...RAW_BYTES));

export const CONTENT_TYPES = [
  'application/json',
  'application/json; charset=utf-8',
  'application/json; charset=latin1',
  'APPLICATION/JSON',
  'application/vnd.api+json',
  'application/merge-patch+json',
  'application/json, text/html',
  'application/jsonx',
  'text/plain',
  'text/json',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=xyz',
  'application/xml',
  `application/json; ${'a=b; '.repeat(500)}`,
  '*/*',
  ';;;',
];

/**
 * Header-safe text: printable ASCII (no CR, LF or NUL, which no client can send), plus a
 * few huge values. Non-ASCII bytes are left out: workerd passes them on as UTF-8 but
 * prints a warning for every one.
 */
export const headerText: fc.Arbitrary<string> = fc.oneof(
  fc.string({ unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)), maxLength: 60 }),
  fc.constantFrom('', ' ', '\t', '" OR 1=1 --', '../..', '%00', 'a'.repeat(8_192), 'b'.repeat(64 * 1024)),
);

/** Path segments for ":id" and the like: ids, non-ids, and broken percent-encoding. */
export function pathSegment(knownIds: string[]): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 2, arbitrary: fc.constantFrom(...knownIds) },
    { weight: 1, arbitrary: fc.uuid() },
    { weight: 2, arbitrary: hostileString.map((s) => encodeURIComponent(s.replace(/[\uD800-\uDFFF]/g, '?')) || '%20') },
    {
      weight: 2,
      arbitrary: fc.constantFrom('%', '%ZZ', '%E0%A4%A', '%C0%AF', '%2e%2e%2f%2e%2e', '..', '.', '%00', '%F0%9F%92%A9', '%FF%FE', 'a'.repeat(4_000), '__proto__', 'constructor'),
    },
  );
}

/** Query strings from the keys the API reads, with hostile values, repeats and broken encoding. */
export const queryString: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.array(fc.tuple(fc.oneof(fc.constantFrom(...QUERY_KEYS), fc.string({ maxLength: 6 })), fc.oneof(hostileString, fc.constantFrom(...BIG_NUMBERS.map(String), 'true', 'True', '', '-1', '1.5', 'admin'))), { maxLength: 4 }).map(
    (pairs) => {
      const params = new URLSearchParams();
      for (const [k, v] of pairs) params.append(k, v.replace(/[\uD800-\uDFFF]/g, '?'));
      const text = params.toString();
      return text ? `?${text}` : '';
    },
  ) },
  { weight: 1, arbitrary: fc.constantFrom('?token=%ZZ', '?page=%E0%A4%A', '?to=%', '?search=%C0%AF&page=1', `?search=${'x'.repeat(10_000)}`, '?page=1e309&page_size=-5', '?page=99999999999999999999', '?since=%00', '?role[]=admin', '?a=1&a=2&a=3') },
);
