import * as z from 'zod';
import type { ConsoleAction } from './console-action';
import { suspendUser, unsuspendUser } from '../suspension/admin';
import { verifyProfessional } from '../professional/admin';

const reasonInput = z.object({ reason: z.string().trim().min(1, 'A reason is required.').max(500) });
const noteInput = z.object({ note: z.string().trim().max(500).optional().transform((n) => n ?? '') });

/**
 * The social layer's account actions (issue 13). Offered from the user page's social
 * section, which knows the social state; `offered` here only asks that the account is live.
 */
export const SOCIAL_CONSOLE_ACTIONS = {
  suspend: {
    permission: 'users.suspend',
    label: 'Suspend',
    question: (u, i) =>
      `Suspend ${u.email}? Reason: ${i.reason}. They keep their sessions and can sign in and read, but cannot follow, block or edit a professional profile, and others no longer find them.`,
    done: 'The account is suspended.',
    danger: true,
    offered: (d) => d.user.deleted_at === null,
    input: reasonInput,
    run: (ctx, id, i) => suspendUser(ctx, id, i.reason!),
  },
  unsuspend: {
    permission: 'users.suspend',
    label: 'Lift suspension',
    question: (u) => `Lift the suspension of ${u.email}? They can act socially again and others can find them.`,
    done: 'The suspension is lifted.',
    offered: (d) => d.user.deleted_at === null,
    run: (ctx, id) => unsuspendUser(ctx, id),
  },
  verify_professional: {
    permission: 'professional.verify',
    label: 'Verify professional profile',
    question: (u, i) => `Mark the professional profile of ${u.email} as verified?${i.note ? ` Note to them: ${i.note}` : ''} They are mailed.`,
    done: 'The professional profile is verified.',
    offered: (d) => d.user.deleted_at === null,
    input: noteInput,
    run: (ctx, id, i) => verifyProfessional(ctx, id, true, i.note ?? ''),
  },
  unverify_professional: {
    permission: 'professional.verify',
    label: 'Remove professional verification',
    question: (u, i) => `Remove the verification of the professional profile of ${u.email}?${i.note ? ` Note to them: ${i.note}` : ''} They are mailed.`,
    done: 'The professional profile is no longer verified.',
    danger: true,
    offered: (d) => d.user.deleted_at === null,
    input: noteInput,
    run: (ctx, id, i) => verifyProfessional(ctx, id, false, i.note ?? ''),
  },
} as const satisfies Record<string, ConsoleAction>;
