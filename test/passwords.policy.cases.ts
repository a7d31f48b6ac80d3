import { beforeAll, describe, expect, it } from 'vitest';
import { env } from 'cloudflare:workers';
import { z } from 'zod';
import {
  addPasswordIssues,
  PASSWORD_MESSAGES as M,
  passwordProblems as policyProblems,
  type CommonPasswords,
  type PasswordContext,
} from '../src/password/hashing';
import { commonPasswords, isCommonPassword as onList } from '../src/password/hashing/common-passwords';
import { createLogger } from '../src/http/log';

// The list as the Worker reads it: the static asset, through the ASSETS binding.
let common: CommonPasswords;
beforeAll(async () => {
  common = await commonPasswords(env.ASSETS, createLogger());
});
const passwordProblems = (password: string, context: PasswordContext) => policyProblems(password, context, common);
const isCommonPassword = (password: string) => onList(password, common);

const NOBODY: PasswordContext = {};
const ACCOUNT: PasswordContext = {
  email: 'John.Smith@Example.com',
  username: 'skywalker77',
  first_name: 'Christopher',
  last_name: 'Oyelaran-Whitfield',
};

describe('passwordProblems: acceptable passwords', () => {
  it('accepts a long unrelated passphrase, with or without an account', () => {
    expect(passwordProblems('correct horse battery staple', NOBODY)).toEqual([]);
    expect(passwordProblems('correct horse battery staple', ACCOUNT)).toEqual([]);
    expect(passwordProblems('Vq7#pLm2xR', { email: null, username: '', first_name: null })).toEqual([]);
  });
});

describe('length, counted in code points after NFKC', () => {
  it('refuses 7 characters and accepts 8', () => {
    expect(passwordProblems('Vq7#pLm', NOBODY)).toEqual([M.tooShort]);
    expect(M.tooShort).toBe('This password is too short. It must contain at least 8 characters.');
    expect(passwordProblems('Vq7#pLm2', NOBODY)).toEqual([]);
  });

  it('accepts 128 characters and refuses 129, reporting nothing else', () => {
    const long = 'Vq7#pLm2'.repeat(16);
    expect(passwordProblems(long, NOBODY)).toEqual([]);
    expect(passwordProblems(`${long}x`, NOBODY)).toEqual([M.tooLong]);
    expect(passwordProblems('1'.repeat(500), NOBODY)).toEqual([M.tooLong]);
  });

  it('counts an emoji as one character, not two UTF-16 units', () => {
    expect(passwordProblems('🔑🐙🌵🎲🚲🧭🪁🍋', NOBODY)).toEqual([]); // 8 code points, 16 units
    expect(passwordProblems('🔑'.repeat(128), NOBODY)).toEqual([]);
    expect(passwordProblems('🔑'.repeat(129), NOBODY)).toEqual([M.tooLong]);
  });

  it('measures the NFKC form: ligatures expand, combining accents compose', () => {
    expect(passwordProblems('ﬃﬃﬃﬃ', NOBODY)).toEqual([]); // 4 characters typed, "ffiffiffiffi" (12) stored
    expect(passwordProblems('e\u0301'.repeat(7), NOBODY)).toEqual([M.tooShort]); // 14 code points typed, 7 "é" stored
    expect(passwordProblems('e\u0301'.repeat(8), NOBODY)).toEqual([]);
  });
});

describe('common passwords', () => {
  it('holds thousands of entries that the other rules would not already refuse', () => {
    const entries = [...common];
    expect(entries.length).toBeGreaterThan(10_000);
    for (const entry of entries) {
      expect(entry).toBe(entry.toLowerCase());
      expect([...entry].length).toBeGreaterThanOrEqual(8);
      expect(entry).not.toMatch(/^\d+$/);
    }
  });

  it('refuses listed passwords regardless of case, surrounding spaces and fullwidth typing', () => {
    for (const password of ['password1', 'Password1', 'PASSWORD1', ' password1 ', 'Ｐａｓｓｗｏｒｄ１', 'qwertyuiop', 'iloveyou', 'trustno1']) {
      expect(passwordProblems(password, NOBODY), password).toEqual([M.tooCommon]);
    }
    expect(M.tooCommon).toBe('This password is too common.');
  });

  it('accepts unlisted ones', () => {
    expect(isCommonPassword('password1')).toBe(true);
    expect(isCommonPassword('password1-Vq7#')).toBe(false);
    expect(passwordProblems('password1-Vq7#', NOBODY)).toEqual([]);
  });
});

describe('entirely numeric', () => {
  it('refuses digits only, in any script or width', () => {
    for (const password of ['8675309123', '٣١٤١٥٩٢٦٥٣', '１２３４５６７８９０', '0000000000000']) {
      expect(passwordProblems(password, NOBODY), password).toEqual([M.entirelyNumeric]);
    }
    expect(M.entirelyNumeric).toBe('This password is entirely numeric.');
  });

  it('accepts digits with anything else in them', () => {
    expect(passwordProblems('8675309123a', NOBODY)).toEqual([]);
    expect(passwordProblems('867-530-9123', NOBODY)).toEqual([]);
    expect(passwordProblems(' 8675309123', NOBODY)).toEqual([]);
  });

  it('reports every failing rule, in Django order', () => {
    expect(passwordProblems('1234', NOBODY)).toEqual([M.tooShort, M.entirelyNumeric]);
    expect(passwordProblems('1234', { username: '1234' })).toEqual([M.tooSimilar('username'), M.tooShort, M.entirelyNumeric]);
  });
});

describe('similarity to the account', () => {
  it('refuses a password close to the email, its local part or a part of it', () => {
    expect(M.tooSimilar('email')).toBe('The password is too similar to the email.');
    for (const password of ['johnsmith1', 'JOHN.SMITH.99', 'john.smith@example.co', 'Example.com!']) {
      expect(passwordProblems(password, ACCOUNT), password).toEqual([M.tooSimilar('email')]);
    }
  });

  it('refuses a password close to the username, first or last name', () => {
    expect(passwordProblems('Skywalker1977', ACCOUNT)).toEqual([M.tooSimilar('username')]);
    expect(passwordProblems('christopher!24', ACCOUNT)).toEqual([M.tooSimilar('first name')]);
    expect(passwordProblems('Whitfield#2024', ACCOUNT)).toEqual([M.tooSimilar('last name')]);
  });

  it("catches reordered parts, as Django's quick_ratio does", () => {
    expect(passwordProblems('smithjohn!', { username: 'john.smith' })).toEqual([M.tooSimilar('username')]);
  });

  it('compares NFKC forms, case-insensitively', () => {
    expect(passwordProblems('ＳＫＹＷＡＬＫＥＲ７７!', ACCOUNT)).toEqual([M.tooSimilar('username')]);
    expect(passwordProblems('skywalker77', { username: 'ＳｋｙＷａｌｋｅｒ' })).toEqual([M.tooSimilar('username')]);
  });

  it('accepts passwords that only share a little with the account', () => {
    expect(passwordProblems('john-Vq7#pLm2xR', ACCOUNT)).toEqual([]);
    expect(passwordProblems('sky-Vq7#pLm2', ACCOUNT)).toEqual([]);
    // A one-letter name cannot make a 10-character password similar (Django's length rule).
    expect(passwordProblems('Vq7#pLm2xa', { first_name: 'A' })).toEqual([]);
  });
});

describe('addPasswordIssues (zod)', () => {
  const schema = z
    .object({ email: z.string(), password: z.string() })
    .superRefine((body, ctx) => addPasswordIssues(ctx, body.password, body, common));

  it('puts each problem under the password field', () => {
    const result = schema.safeParse({ email: 'mary.jones@example.org', password: 'maryjones' });
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((issue) => [issue.path, issue.message])).toEqual([[['password'], M.tooSimilar('email')]]);
  });

  it('passes an acceptable password', () => {
    expect(schema.safeParse({ email: 'mary.jones@example.org', password: 'correct horse battery staple' }).success).toBe(true);
  });
});
