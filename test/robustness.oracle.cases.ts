import { describe, expect, it } from 'vitest';
import { problemsWith, type Answer } from './helpers/robustness';

/** The suite's judge must itself be right: it flags what it should and passes what it should. */
function answer(status: number, body: unknown, headers: Record<string, string> = {}): Answer {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status, text, json, headers: new Headers({ 'Content-Type': 'application/json; charset=utf-8', 'X-Request-Id': 'req-1', ...headers }) };
}
const api = { method: 'POST', path: '/api/v1/auth/login' };
const good = { error: { code: 'validation_failed', message: 'Some fields are invalid.', fields: { email: ['Enter a valid email address.'] }, request_id: 'req-1' } };

describe('robustness oracle', () => {
  it('passes a proper error and a proper success', () => {
    expect(problemsWith(answer(400, good), api)).toEqual([]);
    expect(problemsWith(answer(200, { ok: true }), api)).toEqual([]);
  });

  it('does not read tokens as leaks: a signature may spell d1_k or stack', () => {
    const token = `eyJhbGciOiJFZERTQSJ9.eyJzdWIiOiIxIn0.${'a'.repeat(20)}d1_Kstack${'b'.repeat(40)}`;
    expect(problemsWith(answer(200, { access: token, refresh: token }), api)).toEqual([]);
    // …while an error message with the same words still is one.
    expect(problemsWith(answer(200, { message: 'D1_KV failed, see stack' }), api).join()).toMatch(/leaks internals/);
  });

  it('flags every 5xx, even with the right shape', () => {
    expect(problemsWith(answer(500, { error: { ...good.error, code: 'internal', fields: undefined } }), api).join()).toMatch(/answered 500/);
    expect(problemsWith(answer(503, good), api).join()).toMatch(/answered 503/);
  });

  it('flags stack frames, SQL and JS error names anywhere in a body', () => {
    for (const leak of ['at handler (src/auth/login.ts:41:7)', 'D1_ERROR: UNIQUE constraint failed: users.email', 'SQLITE_CONSTRAINT', "TypeError: Cannot read properties of undefined (reading 'x')", 'Failed query: select 1']) {
      expect(problemsWith(answer(200, { message: leak }), api).join(), leak).toMatch(/leaks internals/);
    }
  });

  it('flags every departure from the error shape', () => {
    const bad: [string, Answer][] = [
      ['not JSON', answer(400, 'Bad Request', { 'Content-Type': 'text/plain' })],
      ['no error member', answer(400, { message: 'no' })],
      ['extra top-level member', answer(400, { ...good, detail: 'x' })],
      ['extra error member', answer(400, { error: { ...good.error, stack: 'x' } })],
      ['unknown code', answer(400, { error: { ...good.error, code: 'oops' } })],
      ['code and status disagree', answer(401, good)],
      ['request id differs', answer(400, { error: { ...good.error, request_id: 'other' } })],
      ['fields not lists of messages', answer(400, { error: { ...good.error, fields: { email: 'bad' } } })],
    ];
    for (const [name, a] of bad) expect(problemsWith(a, api), name).not.toEqual([]);
    expect(problemsWith(answer(400, good, { 'X-Request-Id': '' }), api).join()).toMatch(/X-Request-Id/);
  });

  it('wants HTML pages, not JSON, for console errors', () => {
    const page = answer(403, '<!doctype html><title>Not allowed</title>', { 'Content-Type': 'text/html; charset=UTF-8' });
    expect(problemsWith(page, { method: 'POST', path: '/admin/login' })).toEqual([]);
    expect(problemsWith(answer(403, good), { method: 'POST', path: '/admin/login' }).join()).toMatch(/HTML page/);
    // Judged by where the URL lands once normalized.
    expect(problemsWith(page, { method: 'POST', path: '/%2e%2e/admin/api' })).toEqual([]);
  });
});
