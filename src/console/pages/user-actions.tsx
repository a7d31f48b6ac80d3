import type { Staff } from '../../admin/context';
import type { UserDetail } from '../../admin/user-detail';
import { can } from '../../admin/permissions';
import { LockFields } from './lock-fields';
import { ROLES } from '../../db/schema';
import { CONSOLE_ACTIONS, type ConsoleAction } from '../actions';
import { JobLinks } from './job-links';

/** Actions that make sense on one's own account too. */
const ON_SELF: ReadonlySet<keyof typeof CONSOLE_ACTIONS> = new Set(['revoke_sessions', 'verify_email', 'lift_suppression', 'send_password_reset', 'resend_verification']);

/** The actions this staff member may take on this account as it is now; each leads to a confirmation. */
export function Actions({ staff, detail }: { staff: Staff; detail: UserDetail }) {
  const id = detail.user.id;
  const offered = (name: keyof typeof CONSOLE_ACTIONS) => {
    const action: ConsoleAction = CONSOLE_ACTIONS[name];
    return can(staff.role, action.permission) && action.offered(detail) && (staff.id !== id || ON_SELF.has(name));
  };
  const simple = (
    ['unlock', 'lift_suppression', 'send_password_reset', 'resend_verification', 'deactivate', 'activate', 'verify_email', 'revoke_sessions', 'reset_mfa', 'delete', 'restore'] as const
  ).filter(offered);
  return (
    <section class="actions" aria-label="Actions">
      {offered('lock') ? (
        <form method="get" action={`/admin/users/${id}/confirm`}>
          <input type="hidden" name="action" value="lock" />
          <LockFields reasonLabel="Reason" />
          <button type="submit">Lock sign-in…</button>
        </form>
      ) : null}
      {offered('change_role') && (staff.role === 'admin' || detail.user.role === 'user') ? (
        <form method="get" action={`/admin/users/${id}/confirm`}>
          <input type="hidden" name="action" value="change_role" />
          <label>
            Role
            <select name="role">
              {ROLES.map((r) => (
                <option value={r} selected={r === detail.user.role}>
                  {r}
                </option>
              ))}
            </select>
          </label>
          <button type="submit">Change role…</button>
        </form>
      ) : null}
      <JobLinks staff={staff} detail={detail} />
      {simple.map((name) => (
        <a class={(CONSOLE_ACTIONS[name] as ConsoleAction).danger ? 'button danger' : 'button'} href={`/admin/users/${id}/confirm?action=${name}`}>
          {`${CONSOLE_ACTIONS[name].label}…`}
        </a>
      ))}
    </section>
  );
}
