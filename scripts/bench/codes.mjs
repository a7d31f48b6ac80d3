// The preparation of the paths that spend an emailed code (otp-verify, verify-email): ask
// the app for a fresh code, then take it from the bench wrapper, which keeps the codes of
// the mail jobs the app queues (model/entry.mjs, GET /__bench/last-code). Runs before each
// request's timer starts (closedLoop's `prepare`).
import { request } from 'undici';

/** Long enough for a code queued in waitUntil on a loaded machine. */
const CODE_WAIT_MS = 5000;

export class PrepareError extends Error {
  constructor(message, code) {
    super(message);
    this.name = 'PrepareError';
    this.code = code;
  }
}

/** POSTs a JSON body from a client address; anything but 2xx fails the preparation. */
async function postJson(origin, path, address, body) {
  const res = await request(origin + path, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'cf-connecting-ip': address },
    body: JSON.stringify(body),
  });
  await res.body.text();
  if (res.statusCode < 200 || res.statusCode >= 300) throw new PrepareError(`POST ${path} -> ${res.statusCode}`, `asked:${res.statusCode}`);
}

/** The latest `template` code queued for `to`, taken (so it is handed out once). */
async function takeCode(origin, to, template, waitMs) {
  const query = new URLSearchParams({ to, template, wait: String(waitMs) });
  const res = await request(`${origin}/__bench/last-code?${query}`);
  const json = await res.body.json();
  if (res.statusCode !== 200) throw new PrepareError(`no ${template} code for ${to} within ${waitMs} ms`, 'no-code');
  return json.code;
}

/**
 * Asks for a code (POST `path` with `body`) and returns the `template` code that was queued. After a failed round a
 * late code may still come: it is thrown away first, so a stale code is never sent.
 */
export async function freshCode(origin, u, { path, body, template }) {
  if (u.codeMayBeStale) await takeCode(origin, u.email, template, 0).catch(() => null);
  u.codeMayBeStale = true;
  await postJson(origin, path, u.prepAddress(), body);
  const code = await takeCode(origin, u.email, template, CODE_WAIT_MS);
  u.codeMayBeStale = false;
  return code;
}
