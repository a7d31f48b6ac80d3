import type { Staff } from '../../admin/context';
import type { ConsoleAction } from '../actions';
import type { BulkOutcome, Selected } from '../bulk';
import { Layout } from './layout';
import { Badge } from './parts';

const bulkQuestion = (action: ConsoleAction & { name: string }, count: number, input: Record<string, string>) => {
  const what = `${action.label} for these ${count} account${count === 1 ? '' : 's'}?`;
  if (action.name === 'lock') return `${what} Sign-in is blocked for ${input.minutes} minutes${input.reason ? ` (reason: ${input.reason})` : ''}.`;
  if (action.name === 'deactivate') return `${what} They are signed out everywhere and cannot sign in until reactivated.`;
  if (action.name === 'revoke_sessions') return `${what} Every session of each ends now.`;
  return what;
};

function Accounts({ accounts }: { accounts: Selected[] }) {
  return (
    <ul class="accounts">
      {accounts.map((a) => (
        <li>
          <a href={`/admin/users/${a.id}`}>{a.email}</a> {a.role !== 'user' ? <Badge tone="warn">{a.role}</Badge> : null} {a.deleted ? <Badge tone="bad">deleted</Badge> : null}
        </li>
      ))}
    </ul>
  );
}

export interface BulkConfirmProps {
  staff: Staff;
  csrf: string;
  action: ConsoleAction & { name: string };
  accounts: Selected[];
  input: Record<string, string>;
}

/** One confirmation naming every selected account; the form repeats the selection, the action's input and the CSRF token. */
export function BulkConfirmPage({ staff, csrf, action, accounts, input }: BulkConfirmProps) {
  return (
    <Layout title={`${action.label}: ${accounts.length} accounts`} staff={staff} csrf={csrf}>
      <div class="card narrow wide">
        <h1>{`${action.label}: ${accounts.length} account${accounts.length === 1 ? '' : 's'}`}</h1>
        <p>{bulkQuestion(action, accounts.length, input)}</p>
        <Accounts accounts={accounts} />
        <p class="muted">Each account is checked and recorded on its own; one that cannot be changed is reported and the others still are.</p>
        <form method="post" action="/admin/users/bulk">
          <input type="hidden" name="csrf" value={csrf} />
          <input type="hidden" name="action" value={action.name} />
          <input type="hidden" name="ids" value={accounts.map((a) => a.id).join(',')} />
          {Object.entries(input).map(([name, value]) => (
            <input type="hidden" name={name} value={value} />
          ))}
          <button type="submit" class={action.danger ? 'danger' : undefined}>
            {`Yes, ${action.label.toLowerCase()} (${accounts.length})`}
          </button>
          <a class="button secondary" href="/admin/users">
            Cancel
          </a>
        </form>
      </div>
    </Layout>
  );
}

export function BulkResultPage({ staff, csrf, action, outcomes }: { staff: Staff; csrf: string; action: ConsoleAction; outcomes: BulkOutcome[] }) {
  const done = outcomes.filter((o) => o.ok).length;
  return (
    <Layout title={`${action.label}: done`} staff={staff} csrf={csrf}>
      <h1>{action.label}</h1>
      <p class={done === outcomes.length ? 'flash' : 'error'} role="status">
        {`${done} of ${outcomes.length} done.`}
      </p>
      <table>
        <thead>
          <tr>
            <th>Account</th>
            <th>Outcome</th>
          </tr>
        </thead>
        <tbody>
          {outcomes.map((o) => (
            <tr>
              <td>
                <a href={`/admin/users/${o.id}`}>{o.email}</a>
              </td>
              <td>{o.ok ? <Badge tone="good">{o.message}</Badge> : <Badge tone="bad">{o.message}</Badge>}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p>
        <a href="/admin/users">Back to users</a>
      </p>
    </Layout>
  );
}
