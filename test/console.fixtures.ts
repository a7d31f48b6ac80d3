import { env, exports } from 'cloudflare:workers';
import { createExecutionContext } from 'cloudflare:test';
import { expect } from 'vitest';
import worker from '../src/index';
import type { Env } from '../src/env';
import { randomIp } from './helpers/api';

export const ORIGIN = 'https://gatehouse.test';

export interface Page {
  status: number;
  headers: Headers;
  html: string;
  location: string | null;
}

/**
 * A browser stand-in for the console: keeps the session cookie, sends Origin on posts
 * as browsers do, posts url-encoded forms, does not follow redirects.
 */
export class ConsoleBrowser {
  cookie: string | null = null;
  readonly ip = randomIp();

  /** `vars` override the Worker's vars for every request of this browser (e.g. REQUIRE_ADMIN_MFA). */
  constructor(private readonly vars: Partial<Env> | null = null) {}

  async get(path: string, headers: Record<string, string> = {}): Promise<Page> {
    return this.send(path, { method: 'GET', headers });
  }

  async post(path: string, form: Record<string, string>, headers: Record<string, string> = {}): Promise<Page> {
    return this.send(path, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: ORIGIN, ...headers },
      body: new URLSearchParams(form).toString(),
    });
  }

  /** Signs in through the form; asserts it worked. */
  async signIn(identifier: string, password: string): Promise<Page> {
    const page = await this.post('/admin/login', { identifier, password });
    expect(page.status, page.html).toBe(303);
    expect(page.location).toBe('/admin/users');
    return page;
  }

  /** The CSRF token of the current session, as the pages carry it. */
  async csrf(): Promise<string> {
    const page = await this.get('/admin/users');
    return csrfOf(page.html);
  }

  private async send(path: string, init: { method: string; headers: Record<string, string>; body?: string }): Promise<Page> {
    const headers: Record<string, string> = { 'CF-Connecting-IP': this.ip, 'User-Agent': 'ConsoleTest/1.0', ...init.headers };
    if (this.cookie) headers.Cookie = this.cookie;
    const request = new Request(`${ORIGIN}${path}`, { ...init, headers, redirect: 'manual' });
    const res = this.vars ? await worker.fetch(request, { ...env, ...this.vars } as Env, createExecutionContext()) : await exports.default.fetch(request);
    const setCookie = res.headers.get('Set-Cookie');
    if (setCookie) {
      const [pair] = setCookie.split(';');
      this.cookie = /=$/.test(pair!) || /Max-Age=0/i.test(setCookie) ? null : pair!;
    }
    return { status: res.status, headers: res.headers, html: await res.text(), location: res.headers.get('Location') };
  }
}

export function csrfOf(html: string): string {
  const token = /name="csrf" value="([^"]+)"/.exec(html)?.[1];
  if (!token) throw new Error('no CSRF token on the page');
  return token;
}

/** Text content roughly as a person reads it: tags dropped, entities of quotes decoded. */
export function textOf(html: string): string {
  return html
    .replace(/<[^>]+>/g, ' ')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ');
}
