/**
 * Says yes to each key at most once per interval in this isolate: a memo in front of a write
 * whose own condition (or harmlessness when repeated) is the rule, so that frequent callers
 * do not each pay a round trip. It claims at once, so concurrent requests in one isolate
 * go once. Bounded: past `limit` keys it starts over (it is only a shortcut).
 */
export class IntervalGate {
  private readonly last = new Map<string, number>();

  constructor(
    private readonly intervalMs: number,
    private readonly limit = 10_000,
  ) {}

  claim(key: string, now: number): boolean {
    const last = this.last.get(key);
    // A clock that went back (tests set it) is not trusted to hold the key shut.
    if (last !== undefined && now - last < this.intervalMs && now >= last) return false;
    if (this.last.size >= this.limit) this.last.clear();
    this.last.set(key, now);
    return true;
  }

  get size(): number {
    return this.last.size;
  }
}
