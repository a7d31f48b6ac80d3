import { describe, expect, it } from 'vitest';
import { exports } from 'cloudflare:workers';
import { api } from './helpers/api';

describe('the HTTP frame', () => {
  it('answers unknown routes with the one error shape and matching request id', async () => {
    const res = await api('/api/v1/nope');
    expect(res.status).toBe(404);
    expect(Object.keys(res.body)).toEqual(['error']);
    expect(res.body.error).toEqual({ code: 'not_found', message: expect.any(String), request_id: res.headers.get('X-Request-Id') });
  });

  it('puts the security headers on every response, errors included', async () => {
    for (const res of [await api('/health'), await api('/api/v1/nope')]) {
      expect(res.headers.get('X-Content-Type-Options')).toBe('nosniff');
      expect(res.headers.get('Cache-Control')).toBe('no-store');
      expect(res.headers.get('Strict-Transport-Security')).toMatch(/max-age=\d+/);
      expect(res.headers.get('Content-Security-Policy')).toContain("frame-ancestors 'none'");
      expect(res.headers.get('Content-Type')).toBe('application/json; charset=utf-8');
    }
  });

  it('accepts a trailing slash', async () => {
    expect((await api('/health/')).status).toBe(200);
    const res = await api('/api/v1/auth/resend-verification/', { body: { email: 'trailing@example.com' } });
    expect(res.status).toBe(200);
  });

  it('refuses a non-JSON content type with 415 before parsing', async () => {
    const res = await api('/api/v1/auth/register', { body: 'email=a@b.c', headers: { 'Content-Type': 'application/x-www-form-urlencoded' } });
    expect([res.status, res.body.error.code]).toEqual([415, 'unsupported_media_type']);
  });

  it('refuses malformed JSON and invalid UTF-8 with 400 invalid_json', async () => {
    const bad = await api('/api/v1/auth/register', { body: '{"email": ' });
    expect([bad.status, bad.body.error.code]).toEqual([400, 'invalid_json']);
    const res = await exports.default.fetch('https://gatehouse.test/api/v1/auth/register', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'CF-Connecting-IP': '192.0.2.10' },
      body: new Uint8Array([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x3a, 0x31, 0x7d]),
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('invalid_json');
  });

  it('refuses bodies over 64 KiB with 413, with or without Content-Length', async () => {
    const big = JSON.stringify({ email: 'a@example.com', padding: 'x'.repeat(70 * 1024) });
    const res = await api('/api/v1/auth/register', { body: big });
    expect([res.status, res.body.error.code]).toEqual([413, 'payload_too_large']);
    const stream = new Blob([big]).stream();
    const chunked = await exports.default.fetch('https://gatehouse.test/api/v1/auth/register', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'CF-Connecting-IP': '192.0.2.11' },
      body: stream,
      // @ts-expect-error: Workers' fetch needs duplex for a streamed body in some runtimes
      duplex: 'half',
    });
    expect(chunked.status).toBe(413);
  });

  it('treats a JSON array or scalar body as a validation error, not a crash', async () => {
    for (const body of ['[]', '"text"', 'null', '42']) {
      const res = await api('/api/v1/auth/register', { body });
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('validation_failed');
    }
  });

  it('answers CORS only for allowlisted origins', async () => {
    const allowed = await api('/health', { headers: { Origin: 'http://localhost:3000' } });
    expect(allowed.headers.get('Access-Control-Allow-Origin')).toBe('http://localhost:3000');
    const denied = await api('/health', { headers: { Origin: 'https://evil.example' } });
    expect(denied.headers.get('Access-Control-Allow-Origin')).toBeNull();
    const preflight = await api('/api/v1/auth/login', {
      method: 'OPTIONS',
      headers: { Origin: 'http://localhost:3000', 'Access-Control-Request-Method': 'POST' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('Access-Control-Allow-Methods')).toContain('POST');
  });
});
