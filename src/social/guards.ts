import { requireLiveSession } from '../sessions/liveness';
import { requireNotSuspended } from '../suspension/guard';

/**
 * Every social write, after requireAuth: a live session (a revoked token is refused at
 * once) of an account that is not suspended. Budgets (limitByUser) come after these, so a
 * dead or suspended caller spends nothing.
 */
export const socialWrite = [requireLiveSession, requireNotSuspended] as const;
