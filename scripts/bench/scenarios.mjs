// What each measured path sends. Every virtual user keeps its own state: its access
// token, its own rotating refresh chain, its own account, its own client address.
import { clientAddresses } from './addresses.mjs';
import { BENCH_PASSWORD, benchEmail } from './seed.mjs';
import { freshCode } from './codes.mjs';

const JSON_HEADERS = { 'content-type': 'application/json' };
const pick = (list, i) => list[i % list.length];

const post = (path, address, body) => ({
  method: 'POST',
  path,
  headers: { ...JSON_HEADERS, 'cf-connecting-ip': address() },
  body: JSON.stringify(body),
});

export const floorConstant = () => ({
  user: () => ({}),
  request: () => ({ method: 'GET', path: '/constant' }),
});

export const floorJwt = ({ sessions }) => ({
  user: (i) => ({ token: pick(sessions, i).access }),
  request: (u) => ({ method: 'GET', path: '/jwt', headers: { authorization: `Bearer ${u.token}` } }),
});

export const floorHash = () => ({
  user: () => ({}),
  request: () => ({ method: 'POST', path: '/hash', headers: JSON_HEADERS, body: JSON.stringify({ password: BENCH_PASSWORD }) }),
});

/** GET /auth/me has no per-IP limit; the address is sent anyway, as a client would. */
export const me = ({ sessions, addresses }) => ({
  user: (i) => ({ token: pick(sessions, i).access, address: clientAddresses(addresses.mode, Infinity) }),
  request: (u) => ({ method: 'GET', path: '/api/v1/auth/me', headers: { authorization: `Bearer ${u.token}`, 'cf-connecting-ip': u.address() } }),
});

/** Chains live across the one-connection and the loaded run: a used token is never sent twice. */
export const refresh = ({ sessions, addresses }) => {
  const chains = sessions.map((s) => ({ refresh: s.refresh, address: clientAddresses(addresses.mode, addresses.anonymous) }));
  return {
    user: (i) => pick(chains, i),
    request: (u) => post('/api/v1/auth/refresh', u.address, { refresh: u.refresh }),
    onResponse: (u, status, body) => {
      if (status === 200) u.refresh = JSON.parse(body).refresh;
    },
  };
};

export const login = ({ users, addresses }) => ({
  user: (i) => ({ ...pick(users, i), address: clientAddresses(addresses.mode, addresses.anonymous) }),
  request: (u) => post('/api/v1/auth/login', u.address, { email: u.email, password: u.password }),
});

export const register = ({ addresses }) => ({
  user: () => ({ address: clientAddresses(addresses.mode, addresses.register) }),
  request: (u) => post('/api/v1/auth/register', u.address, { email: benchEmail('register'), password: BENCH_PASSWORD, password_confirm: BENCH_PASSWORD }),
});

/**
 * A follow that triggers badge evaluation (issue 15): each virtual user follows the others
 * in turn. An accepted follow answers 201 and queues one evaluation per side; the request
 * after it unfollows (DELETE), so every POST is a new follow. Rows are POST and DELETE alike.
 */
export const follow = ({ sessions, users, addresses }) => ({
  user: (i) => ({ token: pick(sessions, i).access, self: pick(users, i).id, targets: users.map((u) => u.id).filter((id) => id !== pick(users, i).id), next: i, followId: null, address: clientAddresses(addresses.mode, Infinity) }),
  request: (u) => {
    const headers = { ...JSON_HEADERS, authorization: `Bearer ${u.token}`, 'cf-connecting-ip': u.address() };
    if (u.followId) return { method: 'DELETE', path: `/api/v1/follows/${u.followId}`, headers };
    u.next += 1;
    return { method: 'POST', path: '/api/v1/follows', headers, body: JSON.stringify({ user_id: pick(u.targets, u.next) }) };
  },
  onResponse: (u, status, body) => {
    if (status === 201 || status === 200) u.followId = JSON.parse(body).id;
    else if (status === 204) u.followId = null;
  },
});

/**
 * Sign-in with an emailed code. Prepared, untimed: POST /auth/otp/request for the virtual
 * user's own verified account and the code it queued. Timed: the verify, which signs in.
 * `recordedAs`: the distance model's entry is the verify, not the request for the code.
 */
export const otpVerify = ({ origin, users, addresses }) => ({
  recordedAs: 'POST /api/v1/auth/otp/verify',
  user: (i) => ({
    email: pick(users, i).email,
    code: null,
    address: clientAddresses(addresses.mode, addresses.otpVerify),
    prepAddress: clientAddresses(addresses.mode, addresses.otpRequest),
  }),
  prepare: async (u) => {
    u.code = await freshCode(origin, u, { path: '/api/v1/auth/otp/request', body: { email: u.email }, template: 'login_code' });
  },
  request: (u) => post('/api/v1/auth/otp/verify', u.address, { email: u.email, code: u.code }),
});

/**
 * Email verification by code. Each virtual user owns a registered account; prepared,
 * untimed: the account is made unverified again under a fresh address (one D1 statement,
 * as seeding marks accounts verified) and POST /auth/resend-verification queues a fresh code. Timed: the
 * verify, which marks it verified. Not a registration per request: its password hash
 * (~140 ms of CPU) would set the loaded run's pace and bury the verify's own CPU.
 */
export const verifyEmail = ({ origin, accounts, addresses, unverify }) => ({
  recordedAs: 'POST /api/v1/auth/verify-email',
  user: (i) => ({
    ...pick(accounts, i),
    code: null,
    address: clientAddresses(addresses.mode, addresses.anonymous),
    prepAddress: clientAddresses(addresses.mode, addresses.anonymous),
  }),
  prepare: async (u) => {
    await unverify(u);
    u.code = await freshCode(origin, u, { path: '/api/v1/auth/resend-verification', body: { email: u.email }, template: 'verify_email' });
  },
  request: (u) => post('/api/v1/auth/verify-email', u.address, { email: u.email, code: u.code }),
});
