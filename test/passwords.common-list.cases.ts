import { describe, expect, it } from 'vitest';
import { env } from 'cloudflare:workers';
import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test';
import worker from '../src/index';
import { ApiError } from '../src/http/errors';
import { createLogger } from '../src/http/log';
import {
  COMMON_PASSWORDS_ASSET,
  COMMON_PASSWORDS_MIN_ENTRIES,
  commonPasswords,
  type AssetsBinding,
} from '../src/password/hashing/common-passwords';
import { registration, STRONG_PASSWORD } from './helpers/api';
import { brokenAssets, countingAssets, refusalOf } from './helpers/assets';

const log = createLogger();
const refusal = (assets: AssetsBinding) => refusalOf((a) => commonPasswords(a, log), assets);


describe('the common-password list, read from the static assets', () => {
  it('is served to the binding as one sorted, unique, lower-case entry a line', async () => {
    const text = await (await env.ASSETS.fetch(`https://assets.invalid${COMMON_PASSWORDS_ASSET}`)).text();
    const lines = text.trimEnd().split('\n');
    expect(lines.length).toBeGreaterThan(COMMON_PASSWORDS_MIN_ENTRIES);
    expect(lines).toEqual([...new Set(lines)].sort());
    expect(lines.every((line) => line === line.toLowerCase().trim() && line !== '')).toBe(true);
    expect((await commonPasswords(env.ASSETS, log)).size).toBe(lines.length);
  });

  it('is fetched once per binding, then served from memory', async () => {
    const assets = countingAssets();
    const first = await commonPasswords(assets, log);
    const second = await commonPasswords(assets, log);
    expect(second).toBe(first);
    expect(first.has('password1')).toBe(true);
    expect(assets.calls).toBe(1);
  });

  it('answers 503 when the asset is missing, unreachable or not the list, and keeps no failure', async () => {
    const missing = brokenAssets('Not Found', 404);
    const error = await refusal(missing);
    expect([error.code, error.status]).toEqual(['service_unavailable', 503]);
    await refusal(missing);
    expect(missing.calls).toBe(2); // tried again, not a cached failure
    await refusal(brokenAssets(new Error('binding unreachable')));
    await refusal(brokenAssets('<!doctype html><title>Not the list</title>'));
  });

  it('fails closed: registration answers 503 in the error shape and creates nothing', async () => {
    const body = registration();
    const call = async (assets: AssetsBinding) => {
      const ctx = createExecutionContext();
      const res = await worker.fetch(
        new Request('https://gatehouse.test/api/v1/auth/register', {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', 'CF-Connecting-IP': '203.0.113.77' },
          body: JSON.stringify(body),
        }),
        { ...env, ASSETS: assets as Fetcher },
        ctx,
      );
      await waitOnExecutionContext(ctx);
      return { status: res.status, json: (await res.json()) as { error?: { code: string; request_id: string } } };
    };
    const refused = await call(brokenAssets('Not Found', 404));
    expect(refused.status).toBe(503);
    expect(refused.json.error?.code).toBe('service_unavailable');
    expect(refused.json.error?.request_id).toEqual(expect.any(String));
    const row = await env.DB.prepare('SELECT id FROM users WHERE email = ?').bind(body.email).first();
    expect(row).toBeNull();
    // The same request goes through once the list can be read.
    expect(body.password).toBe(STRONG_PASSWORD);
    expect((await call(env.ASSETS)).status).toBe(201);
  });
});
