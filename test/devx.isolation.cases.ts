import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import wranglerToml from '../wrangler.toml?raw';
import { DEFAULTS, DEVELOPMENT_LIMITS } from '../src/config/config';

/**
 * Tests see only what vitest.config.ts and wrangler.toml say, never a developer's
 * `.dev.vars` or `.env`. `.ci/run` runs this file with a hostile `.dev.vars` in place
 * (HOSTILE_MARKER, a production ENVIRONMENT, a 1-per-day LIMIT_REGISTER, …).
 */
const PINNED_BY_VITEST_CONFIG = [
  'ENVIRONMENT', 'PUBLIC_URL', 'MAIL_FROM', 'MAIL_TRANSPORT', 'CORS_ORIGINS', 'ENUMERATION_PROTECTION',
  'JWT_PRIVATE_JWKS', 'MFA_ENCRYPTION_KEY', 'AUDIT_HASH_KEY', 'MAIL_HTTP_API_KEY', 'TURNSTILE_SECRET',
  'ROBUSTNESS_SEED', 'ROBUSTNESS_RUNS', 'SERVICE_TOKEN',
  ...Object.keys(DEVELOPMENT_LIMITS),
];

function topLevelVars(): string[] {
  const table = /^\[vars\]\n([\s\S]*?)(?=^\[)/m.exec(wranglerToml)?.[1] ?? '';
  return [...table.matchAll(/^([A-Z0-9_]+)\s*=/gm)].map((m) => m[1]!);
}

describe('the test environment', () => {
  it('holds no string binding beyond wrangler.toml [vars] and those vitest.config.ts pins', () => {
    const fromToml = topLevelVars();
    expect(fromToml).toContain('APP_NAME');
    const allowed = new Set([...fromToml, ...PINNED_BY_VITEST_CONFIG]);
    const strings = Object.entries(env as unknown as Record<string, unknown>)
      .filter(([name, value]) => typeof value === 'string' && !name.startsWith('__VITEST_POOL_WORKERS'))
      .map(([name]) => name);
    expect(strings.filter((name) => !allowed.has(name))).toEqual([]);
  });

  it('has the pinned development values, whatever a .dev.vars says', () => {
    expect(env.ENVIRONMENT).toBe('development');
    expect(env.PUBLIC_URL).toBe('http://localhost:8787');
    expect(env.JWT_PRIVATE_JWKS).toBe('');
    expect((env as unknown as Record<string, unknown>).LIMIT_REGISTER).toBe(DEFAULTS.LIMIT_REGISTER);
    expect((env as unknown as Record<string, unknown>).TTL_CODE).toBeUndefined();
  });
});
