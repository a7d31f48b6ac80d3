import { inArray } from 'drizzle-orm';
import type { Db } from '../db/client';
import { users } from '../db/schema';
import { validationError } from '../http/errors';
import { ApiError } from '../http/errors';
import type { AdminContext } from '../admin/context';
import { CONSOLE_ACTIONS, type ConsoleAction } from './actions';

/** Actions the users list can take on several accounts at once. */
export const BULK_ACTIONS = ['lock', 'unlock', 'deactivate', 'revoke_sessions'] as const;
export type BulkActionName = (typeof BULK_ACTIONS)[number];
/** At most this many accounts per bulk action: one confirmation page must still name them all, and one request run them. */
export const MAX_BULK = 50;

export function bulkAction(name: string | undefined): (ConsoleAction & { name: BulkActionName }) | null {
  if (!name || !(BULK_ACTIONS as readonly string[]).includes(name)) return null;
  return { ...(CONSOLE_ACTIONS[name as BulkActionName] as ConsoleAction), name: name as BulkActionName };
}

const refuse = (message: string) => validationError({ ids: [message] }, message);

/** The selected ids, each once, within the bound; refused when none or too many. */
export function selectedIds(raw: string[]): string[] {
  const ids = [...new Set(raw.map((id) => id.trim()).filter(Boolean))];
  if (ids.length === 0) throw refuse('Select at least one account.');
  if (ids.length > MAX_BULK) throw refuse(`Select at most ${MAX_BULK} accounts at once (${ids.length} were selected).`);
  if (ids.some((id) => id.length > 64)) throw refuse('The selection holds an id that is not one.');
  return ids;
}

export interface Selected {
  id: string;
  /** The address, or the username of an account without one (issue 16), or the id. */
  email: string;
  role: string;
  deleted: boolean;
}

/** The selected accounts as the confirmation and result pages name them, in the order selected. */
export async function selectedAccounts(db: Db, ids: string[]): Promise<Selected[]> {
  const rows = await db.select({ id: users.id, email: users.email, username: users.username, role: users.role, deletedAt: users.deletedAt }).from(users).where(inArray(users.id, ids));
  const byId = new Map(rows.map((r) => [r.id, r]));
  return ids.flatMap((id) => {
    const row = byId.get(id);
    return row ? [{ id, email: row.email ?? row.username ?? id, role: row.role, deleted: row.deletedAt !== null }] : [];
  });
}

export interface BulkOutcome extends Selected {
  ok: boolean;
  message: string;
}

/**
 * Runs the action on each account in turn through the same service as the single action
 * (so each is checked and audited on its own); a refusal for one (a manager and an admin
 * account, one's own account) is reported and the others still run.
 */
export async function runBulk(ctx: AdminContext, action: ConsoleAction, accounts: Selected[], input: Record<string, string>): Promise<BulkOutcome[]> {
  const outcomes: BulkOutcome[] = [];
  for (const account of accounts) {
    if (account.id === ctx.staff.id) {
      outcomes.push({ ...account, ok: false, message: 'Skipped: your own account.' });
      continue;
    }
    try {
      await action.run(ctx, account.id, input);
      outcomes.push({ ...account, ok: true, message: 'Done.' });
    } catch (err) {
      if (!(err instanceof ApiError) || err.status >= 500) throw err;
      outcomes.push({ ...account, ok: false, message: err.code === 'not_found' ? 'Not found (deleted?).' : err.message });
    }
  }
  return outcomes;
}
