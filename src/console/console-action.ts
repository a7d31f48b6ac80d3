import type { z } from 'zod';
import type { AdminContext } from '../admin/context';
import type { Permission } from '../admin/permissions';
import type { UserDetail } from '../admin/user-detail';

type Input = Record<string, string>;

/** One thing an admin can do to an account from its page, always behind a confirmation. */
export interface ConsoleAction {
  permission: Permission;
  label: string;
  /** The confirmation question. */
  question: (user: UserDetail['user'], input: Input) => string;
  /** What the user page says afterwards. */
  done: string;
  danger?: boolean;
  /** Whether it makes sense for the account as it is. */
  offered: (detail: UserDetail) => boolean;
  /** Extra fields it takes (role, minutes), checked before anything runs. */
  input?: z.ZodType<Input>;
  run: (ctx: AdminContext, id: string, input: Input) => Promise<unknown>;
}
