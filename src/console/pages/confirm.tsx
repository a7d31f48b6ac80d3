import type { Staff } from '../../admin/context';
import type { UserDetail } from '../../admin/user-detail';
import type { ConsoleAction } from '../actions';
import { Layout } from './layout';

export interface ConfirmPageProps {
  staff: Staff;
  csrf: string;
  user: UserDetail['user'];
  action: ConsoleAction & { name: string };
  input: Record<string, string>;
}

/** The confirmation step: the only place holding the form (and its CSRF token) that acts. */
export function ConfirmPage({ staff, csrf, user, action, input }: ConfirmPageProps) {
  return (
    <Layout title={`${action.label}: ${user.email}`} staff={staff} csrf={csrf}>
      <div class="card narrow">
        <h1>{action.label}</h1>
        <p>{action.question(user, input)}</p>
        <form method="post" action={`/admin/users/${user.id}/actions`}>
          <input type="hidden" name="csrf" value={csrf} />
          <input type="hidden" name="action" value={action.name} />
          {Object.entries(input).map(([name, value]) => (
            <input type="hidden" name={name} value={value} />
          ))}
          <button type="submit" class={action.danger ? 'danger' : undefined}>
            {`Yes, ${action.label.toLowerCase()}`}
          </button>
          <a class="button secondary" href={`/admin/users/${user.id}`}>
            Cancel
          </a>
        </form>
      </div>
    </Layout>
  );
}
