import type { Context } from 'hono';
import type { AppEnv } from './context';
import { errorSummary } from './log';

/**
 * Runs `work` after the response is sent. Routes that must answer the same whether or
 * not an address has an account (or its mail could be queued) do their look-ups and
 * mail here, so neither the answer nor its timing depends on them.
 */
export function afterResponse(c: Context<AppEnv>, label: string, work: () => Promise<void>): void {
  const log = c.get('log');
  c.executionCtx.waitUntil(work().catch((err: unknown) => log.error(`${label} failed`, errorSummary(err))));
}
