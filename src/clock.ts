/**
 * The one source of "now" for expiry decisions. Tests swap it (setClock) to move time
 * without sleeping; the Worker and its Durable Objects share one isolate in tests,
 * so the swap reaches both.
 */
export interface Clock {
  now(): number;
}

const systemClock: Clock = { now: () => Date.now() };
let current: Clock = systemClock;

export const clock: Clock = { now: () => current.now() };

export function setClock(next: Clock | null): void {
  current = next ?? systemClock;
}
