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

  it('clears its storage with its alarm once every event has left its window', async () => {
    const stub = env.RATE_LIMITER.getByName('test:alarm');
    await stub.hit([rule], Date.now() - 61_000);
    expect(await runDurableObjectAlarm(stub)).toBe(true);
    const keys = await runInDurableObject(stub, (_i, ctx) => [...ctx.storage.kv.list()].length);
    expect(keys).toBe(0);
  });

  it('arms one alarm, not one per hit', async () => {
    const stub = env.RATE_LIMITER.getByName('test:one-alarm');
    const now = Date.now();
    await stub.hit([rule], now);
    const first = await runInDurableObject(stub, (_i, ctx) => ctx.storage.getAlarm());
    expect(first).toBeGreaterThanOrEqual(now + 60_000);
    await stub.hit([rule], now + 5_000);
    await stub.record(rule, now + 6_000);
    expect(await runInDurableObject(stub, (_i, ctx) => ctx.storage.getAlarm())).toBe(first);
  });

  it('the alarm keeps a log whose newest event is still inside its window, and sets itself for when it leaves', async () => {
    const stub = env.RATE_LIMITER.getByName('test:alarm-live');
    const now = Date.now();
    const hour = { name: 'hour', limit: 4, windowSec: 3600 };
    await stub.hit([hour], now - 3_000_000);
    await stub.hit([hour], now - 1_000);
    expect(await runDurableObjectAlarm(stub)).toBe(true);
    const [log, alarm] = await runInDurableObject(stub, async (_i, ctx) => [ctx.storage.kv.get<number[]>('hour'), await ctx.storage.getAlarm()] as const);
    expect(log).toEqual([now - 3_000_000, now - 1_000]);
    expect(alarm).toBe(now - 1_000 + 3_600_000 + 1000);
    // Exactness is untouched: two more fit, the fifth is refused.
    expect((await stub.hit([hour], now)).allowed).toBe(true);
    expect((await stub.hit([hour], now)).allowed).toBe(true);
    expect((await stub.hit([hour], now)).allowed).toBe(false);
  });

  it('after clear(), a new event keeps its window for the alarm', async () => {
    const stub = env.RATE_LIMITER.getByName('test:alarm-clear');
    const now = Date.now();
    await stub.hit([rule], now);
    await stub.clear();
    await stub.hit([rule], now + 1);
    expect(await runDurableObjectAlarm(stub)).toBe(true);
    expect(await runInDurableObject(stub, (_i, ctx) => ctx.storage.kv.get<number[]>('r'))).toEqual([now + 1]);
  });

  it('a log stored without its window (before windows were kept) is dropped by the alarm', async () => {
    const stub = env.RATE_LIMITER.getByName('test:alarm-legacy');
    await runInDurableObject(stub, async (_i, ctx) => {
      ctx.storage.kv.put('r', [Date.now()]);
      await ctx.storage.setAlarm(Date.now() + 60_000);
    });
    expect(await runDurableObjectAlarm(stub)).toBe(true);
    expect(await runInDurableObject(stub, (_i, ctx) => [...ctx.storage.kv.list()].length)).toBe(0);
  });
});
