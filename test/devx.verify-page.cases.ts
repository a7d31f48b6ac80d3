import { describe, expect, it } from 'vitest';
import { prefersHtml, verifyEmailPageCsp } from '../src/auth/verify-email-page';
import { api, registration } from './helpers/api';
import { waitForMail } from './helpers/mail';

const BROWSER_ACCEPT = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8';

async function registeredLink(): Promise<string> {
  const body = registration();
  expect((await api('/api/v1/auth/register', { body })).status).toBe(201);
  const mail = await waitForMail(body.email, { subject: /verify/i });
  const link = /https?:\/\/\S+verify-email\?token=[\w%-]+/.exec(mail.text)![0];
  return new URL(link).pathname + new URL(link).search;
}

const open = (path: string, accept?: string) => api(path, { headers: accept ? { Accept: accept } : {} });

describe('the verification link opened in a browser', () => {
  it('answers a small HTML page: verified, then already verified; no script, CSP intact', async () => {
    const path = await registeredLink();
    const first = await open(path, BROWSER_ACCEPT);
    expect(first.status).toBe(200);
    expect(first.headers.get('Content-Type')).toBe('text/html; charset=utf-8');
    expect(first.body).toContain('<h1>Email verified.</h1>');
    expect(first.body).toContain('You can close this page and sign in.');
    expect(first.body).not.toMatch(/<script|\son\w+=|javascript:/i);
    const csp = first.headers.get('Content-Security-Policy')!;
    expect(csp).toBe(await verifyEmailPageCsp());
    expect(csp).toMatch(/^default-src 'none'; style-src 'sha256-[A-Za-z0-9+/]+=*';/);
    expect(csp).not.toMatch(/script-src|unsafe-inline|unsafe-eval/);
    expect(first.headers.get('Vary')).toMatch(/Accept/);
    expect([first.headers.get('X-Frame-Options'), first.headers.get('Cache-Control')]).toEqual(['DENY', 'no-store']);
    // The inline stylesheet is exactly what the hash allows.
    const style = /<style>([\s\S]*?)<\/style>/.exec(first.body)![1]!;
    const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(style)));
    expect(csp).toContain(`'sha256-${btoa(String.fromCharCode(...digest))}'`);

    const again = await open(path, BROWSER_ACCEPT);
    expect([again.status, /<h1>(.*)<\/h1>/.exec(again.body)?.[1]]).toEqual([200, 'Email already verified.']);
  });

  it('answers a page with the error and the same status for a bad or missing token', async () => {
    const bad = await open('/api/v1/auth/verify-email?token=not-a-token', BROWSER_ACCEPT);
    expect([bad.status, bad.headers.get('Content-Type')]).toEqual([400, 'text/html; charset=utf-8']);
    expect(bad.body).toContain('<h1>This link did not work</h1>');
    expect(bad.body).toContain('The token is invalid or has expired.');
    expect(bad.headers.get('X-Request-Id')).toBeTruthy();
    const missing = await open('/api/v1/auth/verify-email', BROWSER_ACCEPT);
    expect([missing.status, missing.headers.get('Content-Type')]).toEqual([400, 'text/html; charset=utf-8']);
  });

  it('escapes what it shows', async () => {
    const bad = await open('/api/v1/auth/verify-email?token=%3Cscript%3Ealert(1)%3C%2Fscript%3E', BROWSER_ACCEPT);
    expect(bad.status).toBe(400);
    expect(bad.body).not.toContain('<script');
  });
});

describe('the verification link called by an API client', () => {
  it('keeps answering JSON (no Accept, */*, application/json, or json preferred)', async () => {
    for (const accept of [undefined, '*/*', 'application/json', 'application/json, text/html;q=0.5']) {
      const path = await registeredLink();
      const res = await open(path, accept);
      expect([res.status, res.headers.get('Content-Type'), res.body.message], String(accept)).toEqual([200, 'application/json; charset=utf-8', 'Email verified.']);
      expect(res.headers.get('Content-Security-Policy')).toBe("default-src 'none'; frame-ancestors 'none'");
    }
    const bad = await open('/api/v1/auth/verify-email?token=not-a-token', 'application/json');
    expect([bad.status, bad.body.error.code]).toEqual([400, 'token_invalid']);
  });

  it('reads Accept weights', () => {
    expect(prefersHtml(BROWSER_ACCEPT)).toBe(true);
    expect(prefersHtml('text/html;q=0')).toBe(false);
    expect(prefersHtml('application/json;q=0.9, text/html')).toBe(true);
    expect(prefersHtml(undefined)).toBe(false);
  });
});
