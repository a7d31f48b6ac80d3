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
 *
 * Storage: per rule, `<name>` = the times (ms) of its events inside the window, and
 * `window:<name>` = its window in seconds (written once), so that the cleanup alarm knows
 * when the newest event has aged out. One alarm at a time: a hit arms one only when none
 * is, and the alarm sets itself again while any event is still inside its window, so a
 * busy limiter does not write its alarm on every hit.
 */
export class RateLimiter extends DurableObject {
  /** Whether an alarm is set, as far as this instance knows (undefined: not asked yet). */
  private alarmArmed: boolean | undefined;
  /** Rules whose window this instance has seen stored (saves a read per hit). */
  private readonly windowsStored = new Set<string>();

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
    rules.forEach((rule, i) => this.append(rule, logs[i]!, now));
    void this.scheduleCleanup(rules, now);
    return { allowed: true, remaining: Math.min(...rules.map((r, i) => r.limit - logs[i]!.length - 1)) };
  }

  /** Records an event without checking (e.g. the registration mail starts the resend spacing). */
  record(rule: NamedRule, now: number): void {
    this.append(rule, this.recent(rule, now), now);
    void this.scheduleCleanup([rule], now);
  }

  /** Forgets every log (a successful reset may clear a per-address limit). */
  clear(): void {
    for (const [key] of this.ctx.storage.kv.list()) this.ctx.storage.kv.delete(key);
    this.windowsStored.clear();
  }

  /**
   * Drops the object's storage once every event is older than its window; until then sets
   * itself again for when the newest one will be. Times are the app clock's, which runs on
   * real time in production; a log whose window is not known (written before windows were
   * kept, when the alarm moved with every hit) is over by now.
   */
  override async alarm(): Promise<void> {
    let until = 0;
    for (const [key, value] of this.ctx.storage.kv.list<unknown>()) {
      if (key.startsWith(WINDOW_PREFIX) || !Array.isArray(value) || value.length === 0) continue;
      const windowSec = this.ctx.storage.kv.get<number>(WINDOW_PREFIX + key);
      if (windowSec !== undefined) until = Math.max(until, (value.at(-1) as number) + windowSec * 1000);
    }
    if (until > Date.now()) {
      await this.ctx.storage.setAlarm(until + CLEANUP_SLACK_MS);
      this.alarmArmed = true;
      return;
    }
    await this.ctx.storage.deleteAll();
    this.windowsStored.clear();
    this.alarmArmed = false;
  }

  private recent(rule: NamedRule, now: number): number[] {
    const log = this.ctx.storage.kv.get<number[]>(rule.name) ?? [];
    const since = now - rule.windowSec * 1000;
    return log.filter((t) => t > since);
  }

  private append(rule: NamedRule, log: number[], now: number): void {
    this.ctx.storage.kv.put(rule.name, [...log, now]);
    const windowKey = `${rule.name}:${rule.windowSec}`;
    if (this.windowsStored.has(windowKey)) return;
    this.ctx.storage.kv.put(WINDOW_PREFIX + rule.name, rule.windowSec);
    this.windowsStored.add(windowKey);
  }

  private async scheduleCleanup(rules: NamedRule[], now: number): Promise<void> {
    this.alarmArmed ??= (await this.ctx.storage.getAlarm()) !== null;
    if (this.alarmArmed) return;
    this.alarmArmed = true;
    const longest = Math.max(...rules.map((r) => r.windowSec)) * 1000;
    await this.ctx.storage.setAlarm(Math.max(Date.now(), now) + longest + CLEANUP_SLACK_MS);
  }
}

const WINDOW_PREFIX = 'window:';
/** Alarms fire a little after the last event has aged out, so that it surely has. */
const CLEANUP_SLACK_MS = 1000;
