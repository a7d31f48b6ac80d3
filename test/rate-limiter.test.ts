import { env } from 'cloudflare:workers';
import { runDurableObjectAlarm, runInDurableObject } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';

const rule = { name: 'r', limit: 20, windowSec: 60 };

describe('RateLimiter Durable Object', () => {
  it('lets exactly 20 of 30 parallel hits through', async () => {
    const stub = env.RATE_LIMITER.getByName('test:parallel');
    const now = Date.now();
    const decisions = await Promise.all(Array.from({ length: 30 }, () => stub.hit([rule], now)));
    expect(decisions.filter((d) => d.allowed)).toHaveLength(20);
  });

  it('frees slots as the window slides and reports when', async () => {
    const stub = env.RATE_LIMITER.getByName('test:slide');
    const t0 = 1_000_000;
    const small = { name: 's', limit: 2, windowSec: 10 };
    expect((await stub.hit([small], t0)).allowed).toBe(true);
    expect((await stub.hit([small], t0 + 4000)).allowed).toBe(true);
    const denied = await stub.hit([small], t0 + 5000);
    expect(denied).toEqual({ allowed: false, retryAfter: 5, rule: 's' });
    expect((await stub.hit([small], t0 + 10_001)).allowed).toBe(true);
  });

  it('records nothing when any rule refuses', async () => {
    const stub = env.RATE_LIMITER.getByName('test:multi');
    const t0 = 5_000_000;
    const hour = { name: 'hour', limit: 4, windowSec: 3600 };
    const spacing = { name: 'spacing', limit: 1, windowSec: 60 };
    expect((await stub.hit([hour, spacing], t0)).allowed).toBe(true);
    expect(await stub.hit([hour, spacing], t0 + 1000)).toEqual({ allowed: false, retryAfter: 59, rule: 'spacing' });
    const state = await runInDurableObject(stub, (_instance, ctx) => ctx.storage.kv.get<number[]>('hour'));
    expect(state).toEqual([t0]);
  });

  it('clears its storage with its alarm', async () => {
    const stub = env.RATE_LIMITER.getByName('test:alarm');
    await stub.hit([rule], Date.now());
    expect(await runDurableObjectAlarm(stub)).toBe(true);
    const keys = await runInDurableObject(stub, (_i, ctx) => [...ctx.storage.kv.list()].length);
    expect(keys).toBe(0);
  });
});
