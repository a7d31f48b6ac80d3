import { describe, expect, it } from 'vitest';
import { env } from 'cloudflare:workers';
import { ApiError } from '../src/http/errors';
import { createLogger } from '../src/http/log';
import type { AssetsBinding } from '../src/http/static-asset';
import { PHONE_METADATA_ASSET, parsePhoneMetadata } from '../src/config/phone';
import { phoneMetadata } from '../src/users/phones';
import { registration, STRONG_PASSWORD } from './helpers/api';
import { createVerifiedUser } from './helpers/users';
import { phoneMetadata as fromFile } from './helpers/phone';
import { apiWith, uniquePkMobile } from './compat.fixtures';
import { brokenAssets, countingAssets as countingPaths, refusalOf } from './helpers/assets';

const log = createLogger();
const countingAssets = () => countingPaths(PHONE_METADATA_ASSET);
/** The real binding, except the phone metadata (the common-password list still loads). */
const brokenPhoneAsset = (body: string | Error, status = 200) => brokenAssets(body, status, PHONE_METADATA_ASSET);
const refusal = (assets: AssetsBinding) => refusalOf((a) => phoneMetadata(a, log), assets);


describe('the phone metadata, read from the static assets (src/users/phones.ts)', () => {
  it('is served to the binding as the generated file', async () => {
    const text = await (await env.ASSETS.fetch(`https://assets.invalid${PHONE_METADATA_ASSET}`)).text();
    expect(JSON.parse(text)).toEqual(fromFile);
    expect(await phoneMetadata(env.ASSETS, log)).toEqual(fromFile);
  });

  it('is fetched once per binding, then served from memory', async () => {
    const assets = countingAssets();
    const first = await phoneMetadata(assets, log);
    expect(await phoneMetadata(assets, log)).toBe(first);
    expect(assets.calls).toBe(1);
  });

  it('answers 503 when the asset is missing, unreachable or not the metadata, and keeps no failure', async () => {
    const missing = brokenPhoneAsset('Not Found', 404);
    const error = await refusal(missing);
    expect([error.code, error.status]).toEqual(['service_unavailable', 503]);
    await refusal(missing);
    expect(missing.calls).toBe(2); // tried again, not a cached failure
    await refusal(brokenPhoneAsset(new Error('binding unreachable')));
    await refusal(brokenPhoneAsset('<!doctype html><title>Not the metadata</title>'));
    await refusal(brokenPhoneAsset(JSON.stringify(fromFile).slice(0, 5000)));
    await refusal(brokenPhoneAsset(JSON.stringify({ ...fromFile, version: 5 })));
    await refusal(brokenPhoneAsset(JSON.stringify({ ...fromFile, countries: { PK: fromFile.countries.PK } })));
  });

  it('tells why a text is not the metadata', () => {
    expect(parsePhoneMetadata('{')).toBe('not JSON');
    expect(parsePhoneMetadata('null')).toBe('not metadata version 4');
    expect(parsePhoneMetadata(JSON.stringify({ ...fromFile, countries: {} }))).toBe('0 regions');
    expect(parsePhoneMetadata(JSON.stringify(fromFile))).toEqual(fromFile);
  });

  it('fails closed: registration with a phone answers 503 and creates nothing; without one it needs no metadata', async () => {
    const broken = brokenPhoneAsset('Not Found', 404);
    const { e164 } = uniquePkMobile();
    const withPhone = registration({ phone_number: e164 });
    const refused = await apiWith({ ASSETS: broken as unknown as Fetcher }, '/api/v1/auth/register', { body: withPhone });
    expect(refused.status).toBe(503);
    expect(refused.body.error.code).toBe('service_unavailable');
    expect(await env.DB.prepare('SELECT id FROM users WHERE email = ?').bind(withPhone.email).first()).toBeNull();
    expect((await apiWith({ ASSETS: broken as unknown as Fetcher }, '/api/v1/auth/register', { body: registration() })).status).toBe(201);
    expect(broken.calls).toBe(1);
    // The same request goes through once the metadata can be read.
    expect((await apiWith({}, '/api/v1/auth/register', { body: withPhone })).status).toBe(201);
  });

  it('fails closed: sign-in by phone answers 503; by email, username or a name that is no number it needs no metadata', async () => {
    const { e164 } = uniquePkMobile();
    const user = await createVerifiedUser({ username: `asset_${crypto.randomUUID().slice(0, 8)}`, phone_number: e164 });
    const login = (body: Record<string, string | undefined>, assets?: AssetsBinding) =>
      apiWith(assets ? { ASSETS: assets as unknown as Fetcher } : {}, '/api/v1/auth/login', { body: { ...body, password: STRONG_PASSWORD } });
    const broken = brokenPhoneAsset(new Error('binding unreachable'));
    for (const body of [{ phone_number: e164 }, { identifier: e164 }]) {
      const res = await login(body, broken);
      expect(res.status, JSON.stringify(body)).toBe(503);
      expect(res.body.error.code).toBe('service_unavailable');
    }
    for (const body of [{ email: user.email }, { username: user.username! }, { identifier: user.username! }]) {
      expect((await login(body, broken)).status, JSON.stringify(body)).toBe(200);
    }
    expect(broken.calls).toBe(2);
    expect((await login({ phone_number: e164 })).status).toBe(200);
  });
});
