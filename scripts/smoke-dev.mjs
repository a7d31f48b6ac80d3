// End-to-end check against a running `npm run dev` (default http://localhost:8787):
// register, read the mail from the dev mailbox, verify by code, log in, and verify the
// access token with jose against the JWKS fetched over HTTP, as another service would.
// Usage: node scripts/smoke-dev.mjs [base-url]
import { createRemoteJWKSet, jwtVerify } from 'jose';

const base = process.argv[2] ?? 'http://localhost:8787';
const email = `smoke.${Date.now()}@example.com`;
const password = 'Velvet-Otter-Garden-92';

// Each call claims its own client address, so the per-IP limits of a stranger don't apply
// to this measurement loop (local wrangler passes CF-Connecting-IP through).
let client = 0;
async function call(path, body) {
  client += 1;
  const ip = `198.51.100.${client % 250}`;
  const res = await fetch(base + path, {
    method: body ? 'POST' : 'GET',
    headers: { 'cf-connecting-ip': ip, ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const json = await res.json();
  if (!res.ok) throw new Error(`${path} -> ${res.status} ${JSON.stringify(json)}`);
  return json;
}

await call('/api/v1/auth/register', { email, password, password_confirm: password });
let message;
for (let i = 0; i < 40 && !message; i++) {
  await new Promise((r) => setTimeout(r, 250));
  message = (await call(`/dev/mailbox?to=${encodeURIComponent(email)}`)).messages.find((m) => /verify/i.test(m.subject));
}
if (!message) throw new Error('no verification mail arrived');
const code = /\b(\d{6})\b/.exec(message.text)[1];
const verified = await call('/api/v1/auth/verify-email', { email, code });
console.log('verified:', verified.user.email_verified);
const tokens = await call('/api/v1/auth/login', { email, password });
const jwks = createRemoteJWKSet(new URL('/.well-known/jwks.json', base));
const { payload, protectedHeader } = await jwtVerify(tokens.access, jwks, { issuer: base, audience: base, typ: 'at+jwt' });
console.log('access token verified with jose against JWKS over HTTP:', protectedHeader.alg, protectedHeader.kid, 'sub', payload.sub);

// Sequential latency of the hot paths through `wrangler dev` (its proxy adds overhead:
// use `npm run bench` for throughput on workerd itself).
const rounds = Number(process.env.SMOKE_ROUNDS ?? 20);
async function timed(label, fn) {
  const samples = [];
  for (let i = 0; i < rounds; i++) {
    const t = performance.now();
    await fn();
    samples.push(performance.now() - t);
  }
  samples.sort((a, b) => a - b);
  const at = (q) => samples[Math.min(samples.length - 1, Math.floor(q * samples.length))].toFixed(1);
  console.log(`${label.padEnd(8)} p50 ${at(0.5)} ms  p90 ${at(0.9)} ms  (${rounds} sequential)`);
}
let refresh = tokens.refresh;
await timed('me', async () => {
  const res = await fetch(`${base}/api/v1/auth/me`, { headers: { authorization: `Bearer ${tokens.access}` } });
  if (!res.ok) throw new Error(`me ${res.status}`);
  await res.arrayBuffer();
});
await timed('refresh', async () => {
  refresh = (await call('/api/v1/auth/refresh', { refresh })).refresh;
});
await timed('login', () => call('/api/v1/auth/login', { email, password }));
