import type { Staff } from '../../admin/context';
import type { PasswordChange } from '../../admin/password-history';
import { PASSWORD_HISTORY_SHOWN } from '../../admin/password-history';
import { Layout } from './layout';
import { Time } from './time';

const VIA: Record<string, string> = {
  registration: 'registration',
  password_changed: 'changed by the user',
  password_reset: 'reset with an emailed code',
  admin_user_created: 'account created by staff (random password)',
};

export function PasswordHistoryPage({ staff, csrf, user, changes }: { staff: Staff; csrf: string; user: { id: string; email: string | null; username: string | null }; changes: PasswordChange[] }) {
  return (
    <Layout title={`Password history: ${user.email ?? user.username ?? user.id}`} staff={staff} csrf={csrf}>
      <p>
        <a href={`/admin/users/${user.id}`}>← {user.email ?? user.username ?? user.id}</a>
      </p>
      <h1>Password history</h1>
      <p class="muted">When the password was set and from where, newest first (the last {PASSWORD_HISTORY_SHOWN}). Passwords and their hashes are never shown.</p>
      {changes.length === 0 ? (
        <p class="muted">No password changes recorded.</p>
      ) : (
        <table class="password-history">
          <thead>
            <tr>
              <th>When</th>
              <th>IP</th>
              <th>How</th>
            </tr>
          </thead>
          <tbody>
            {changes.map((c) => (
              <tr>
                <td>
                  <Time at={c.changed_at} />
                </td>
                <td class="meta">{c.ip ?? 'not recorded'}</td>
                <td>{c.via ? (VIA[c.via] ?? c.via) : 'not recorded'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Layout>
  );
}
