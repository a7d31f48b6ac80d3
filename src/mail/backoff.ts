const BASE_DELAY_SECONDS = 5;
const MAX_DELAY_SECONDS = 15 * 60;

/** Exponential backoff from the queue's attempt count (1 on the first delivery): 5, 10, 20, 40 s… */
export function retryDelaySeconds(attempts: number): number {
  const exponent = Math.max(0, Math.floor(attempts) - 1);
  return Math.min(BASE_DELAY_SECONDS * 2 ** exponent, MAX_DELAY_SECONDS);
}
