import { DurableObject } from 'cloudflare:workers';

export interface NamedRule {
  /** Rules on one limiter key keep separate logs by name. */
  name: string;
  limit: number;
  windowSec: number;
  /** What is counted, for the 429 message (e.g. "registrations from this IP address"). */
  label?: string;
}

/** A refusal names the rule that frees last, so the 429 can say which limit it was. */
export type RateDecision = { allowed: true; remaining: number } | { allowed: false; retryAfter: number; rule: string };

/**
 * An exact sliding-window limiter, one object per key (e.g. "register:203.0.113.9").
 * A Durable Object runs one request at a time and its SQLite-backed KV calls are
 * synchronous, so check-and-record cannot interleave: 30 parallel hits against a
 * limit of 20 let exactly 20 through, which KV counters cannot promise.
 */
export class RateLimiter extends DurableObject {
  /**
   * Records one event if every rule allows it; otherwise records nothing and says how
   * long until the strictest rule frees a slot.
   */
  hit(rules: NamedRule[], now: number): RateDecision {
    const logs = rules.map((rule) => this.recent(rule, now));
    let retryAfterMs = 0;
    let strictest = '';
    rules.forEach((rule, i) => {
      const log = logs[i]!;
      if (log.length >= rule.limit) {
        const freesIn = log[log.length - rule.limit]! + rule.windowSec * 1000 - now;
        if (freesIn > retryAfterMs) [retryAfterMs, strictest] = [freesIn, rule.name];
      }
    });
    if (retryAfterMs > 0) return { allowed: false, retryAfter: Math.max(1, Math.ceil(retryAfterMs / 1000)), rule: strictest };
    rules.forEach((rule, i) => this.ctx.storage.kv.put(rule.name, [...logs[i]!, now]));
    void this.scheduleCleanup(rules, now);
    return { allowed: true, remaining: Math.min(...rules.map((r, i) => r.limit - logs[i]!.length - 1)) };
  }

  /** Records an event without checking (e.g. the registration mail starts the resend spacing). */
  record(rule: NamedRule, now: number): void {
    this.ctx.storage.kv.put(rule.name, [...this.recent(rule, now), now]);
    void this.scheduleCleanup([rule], now);
  }

  /** Forgets every log (a successful reset may clear a per-address limit). */
  clear(): void {
    for (const [key] of this.ctx.storage.kv.list()) this.ctx.storage.kv.delete(key);
  }

  override async alarm(): Promise<void> {
    // Every log is older than its window by now: drop the object's storage entirely.
    await this.ctx.storage.deleteAll();
  }

  private recent(rule: NamedRule, now: number): number[] {
    const log = this.ctx.storage.kv.get<number[]>(rule.name) ?? [];
    const since = now - rule.windowSec * 1000;
    return log.filter((t) => t > since);
  }

  private async scheduleCleanup(rules: NamedRule[], now: number): Promise<void> {
    const longest = Math.max(...rules.map((r) => r.windowSec)) * 1000;
    const existing = await this.ctx.storage.getAlarm();
    const at = Math.max(Date.now(), now) + longest + 1000;
    if (existing === null || existing < at) await this.ctx.storage.setAlarm(at);
  }
}
