import type { AdminContext } from './context';
import { adminAudit } from './audit';
import { assertMayActOn } from './roles';
import { loadTarget } from './target';
import { liftSuppression } from '../mail/bounces/suppressions';

/**
 * Sends mail to the account's address again after a bounce or complaint, e.g. once the
 * user says their mailbox works. Audited with what was lifted; a no-op (nothing was
 * suppressed) answers lifted: false and records nothing. A real bounce later suppresses
 * the address again.
 */
export async function liftUserSuppression(ctx: AdminContext, id: string): Promise<{ lifted: boolean }> {
  const target = await loadTarget(ctx.db, id);
  assertMayActOn(ctx.staff, target, 'users.unsuppress');
  const lifted = target.email ? await liftSuppression(ctx.db, target.email) : undefined;
  if (lifted) await adminAudit(ctx, 'mail_suppression_lifted', id, { by: 'admin', kind: lifted.kind, reason: lifted.reason });
  return { lifted: lifted !== undefined };
}
