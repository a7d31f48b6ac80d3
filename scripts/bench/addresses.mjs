// Rate limits key on CF-Connecting-IP. It is only a header (all traffic goes to
// 127.0.0.1), so each virtual user claims client addresses of its own:
//   client  (default) a virtual user is one client: it keeps its address for as many
//           requests as the route's per-IP limit allows, then moves to a fresh one, so
//           its limiter object is warm, as for a busy client;
//   request every request comes from a new address, so every request meets a cold
//           limiter object (locally that is a new SQLite-backed Durable Object each time).
let issued = 0;

/** A fresh address from 10.0.0.0/8 on every call (16.7 million before repeating). */
export function nextAddress() {
  issued = (issued + 1) % 0xffffff;
  return `10.${(issued >> 16) & 255}.${(issued >> 8) & 255}.${issued & 255}`;
}

/** One virtual user's addresses: a function giving the address of its next request. */
export function clientAddresses(mode, budget) {
  if (mode === 'request' || !(budget > 1)) return nextAddress;
  let current = null;
  let used = 0;
  return () => {
    if (current === null || used >= budget) [current, used] = [nextAddress(), 0];
    used += 1;
    return current;
  };
}

/** Requests per address within a rule written `count/seconds` (wrangler.toml var or API.md default). */
export function budgetOf(vars, name, fallback) {
  const match = /^(\d+)\/(\d+)$/.exec(String(vars?.[name] ?? fallback).trim());
  return match ? Number(match[1]) : 1;
}
