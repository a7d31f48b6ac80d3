import type { Staff } from '../../admin/context';
import type { UserDetail } from '../../admin/user-detail';
import { can } from '../../admin/permissions';

/** The user page's ways to the jobs with pages of their own: the edit form and the password history. */
export function JobLinks({ staff, detail }: { staff: Staff; detail: UserDetail }) {
  const id = detail.user.id;
  const editable = can(staff.role, 'users.edit') && detail.user.deleted_at === null && (staff.role === 'admin' || detail.user.role === 'user');
  return (
    <>
      {editable ? (
        <a class="button" href={`/admin/users/${id}/edit`}>
          Edit email, username, phone…
        </a>
      ) : null}
      <a class="button secondary" href={`/admin/users/${id}/password-history`}>
        Password history
      </a>
    </>
  );
}
