import type { Staff } from '../../admin/context';
import type { UserDetail } from '../../admin/user-detail';
import { can } from '../../admin/permissions';
import { LOCK_MINUTES } from '../../admin/schemas';
import { ROLES } from '../../db/schema';
import { CONSOLE_ACTIONS, type ConsoleAction } from '../actions';
import { when } from '../render';
import { Layout } from './layout';
import { Badge, Flash, YesNo } from './parts';
import { EventsTable } from './events-table';
import { MailFailuresTable } from './mail';

export interface UserPageProps {
  staff: Staff;
  csrf: string;
  detail: UserDetail;
  /** Emails of the accounts named in the recent events. */
  emails: Map<string, string>;
  flash?: string;
}

export function UserPage({ staff, csrf, detail, emails, flash }: UserPageProps) {
  const u = detail.user;
  return (
    <Layout title={u.email} staff={staff} csrf={csrf}>
      <h1>
        {u.email} {u.deleted_at ? <Badge tone="bad">deleted</Badge> : null} {detail.lockout.locked ? <Badge tone="bad">locked</Badge> : null}
      </h1>
      <Flash message={flash} />
      <Actions staff={staff} detail={detail} />
      <div class="grid">
        <section class="card">
          <h2>Account</h2>
          <Account detail={detail} />
        </section>
        <section class="card">
          <h2>Security</h2>
          <Security detail={detail} />
        </section>
      </div>
      <h2>Sessions ({detail.sessions.length})</h2>
      <Sessions detail={detail} />
      <h2>Devices</h2>
      <Devices detail={detail} />
      <h2>
        Recent events <a href={`/admin/audit?user=${u.id}`}>(all)</a>
      </h2>
      <EventsTable events={detail.recent_events} emails={emails} />
      <h2>Failed mail</h2>
      {detail.mail_failures.length ? <MailFailuresTable failures={detail.mail_failures} /> : <p class="muted">None.</p>}
    </Layout>
  );
}

/** The actions this staff member may take on this account as it is now; each leads to a confirmation. */
function Actions({ staff, detail }: { staff: Staff; detail: UserDetail }) {
  const id = detail.user.id;
  const offered = (name: keyof typeof CONSOLE_ACTIONS) => {
    const action: ConsoleAction = CONSOLE_ACTIONS[name];
    return can(staff.role, action.permission) && action.offered(detail) && (staff.id !== id || name === 'revoke_sessions' || name === 'verify_email');
  };
  const simple = (['unlock', 'deactivate', 'activate', 'verify_email', 'revoke_sessions', 'delete', 'restore'] as const).filter(offered);
  return (
    <section class="actions" aria-label="Actions">
      {offered('lock') ? (
        <form method="get" action={`/admin/users/${id}/confirm`}>
          <input type="hidden" name="action" value="lock" />
          <label>
            Lock for
            <select name="minutes">
              {LOCK_MINUTES.map((m) => (
                <option value={String(m)} selected={m === 60}>
                  {m < 60 ? `${m} minutes` : `${m / 60} hour${m === 60 ? '' : 's'}`}
                </option>
              ))}
            </select>
          </label>
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
      {simple.map((name) => (
        <a class={(CONSOLE_ACTIONS[name] as ConsoleAction).danger ? 'button danger' : 'button'} href={`/admin/users/${id}/confirm?action=${name}`}>
          {`${CONSOLE_ACTIONS[name].label}…`}
        </a>
      ))}
    </section>
  );
}

function Account({ detail }: { detail: UserDetail }) {
  const u = detail.user;
  const p = detail.profile;
  return (
    <dl class="facts">
      <dt>Id</dt>
      <dd>{u.id}</dd>
      <dt>Name</dt>
      <dd>{`${u.first_name} ${u.last_name}`.trim() || '—'}</dd>
      <dt>Username</dt>
      <dd>{u.username ?? '—'}</dd>
      <dt>Phone</dt>
      <dd>{u.phone_number ?? '—'}</dd>
      <dt>Role</dt>
      <dd>{u.role}</dd>
      <dt>Active</dt>
      <dd>
        <YesNo value={u.is_active} />
      </dd>
      <dt>Joined</dt>
      <dd>{when(u.date_joined)}</dd>
      <dt>Last sign-in</dt>
      <dd>{when(u.last_login)}</dd>
      <dt>Deleted</dt>
      <dd>{when(u.deleted_at)}</dd>
      <dt>Location</dt>
      <dd>{p.location || '—'}</dd>
      <dt>Time zone</dt>
      <dd>{p.timezone || '—'}</dd>
      <dt>Language</dt>
      <dd>{p.language || '—'}</dd>
    </dl>
  );
}

function Security({ detail }: { detail: UserDetail }) {
  const { user: u, lockout, verification: v, mail_suppression: s } = detail;
  return (
    <dl class="facts">
      <dt>Email verified</dt>
      <dd>
        <YesNo value={u.email_verified} />
      </dd>
      <dt>Verification</dt>
      <dd>
        {v
          ? `${v.pending ? 'pending' : 'used'}; code ${v.code_expired ? 'expired' : 'valid'}, link ${v.link_expired ? 'expired' : 'valid'}; ${v.attempts_left} tries left`
          : 'none issued'}
      </dd>
      <dt>Sign-in code</dt>
      <dd>{codeState(detail.codes.login)}</dd>
      <dt>Reset code</dt>
      <dd>{codeState(detail.codes.reset)}</dd>
      <dt>Two-factor</dt>
      <dd>
        <YesNo value={u.mfa_enabled} />
      </dd>
      <dt>Lockout</dt>
      <dd>{lockout.locked ? `locked until ${when(lockout.locked_until)}` : `not locked (${lockout.failures} failed in a row)`}</dd>
      <dt>Password changed</dt>
      <dd>{when(u.password_changed_at)}</dd>
      <dt>Mail</dt>
      <dd>{s ? <Badge tone="bad">{`suppressed: ${s.kind} (${s.reason}) since ${when(s.created_at)}`}</Badge> : 'delivered normally'}</dd>
    </dl>
  );
}

function Sessions({ detail }: { detail: UserDetail }) {
  if (detail.sessions.length === 0) return <p class="muted">No open sessions.</p>;
  return (
    <table>
      <thead>
        <tr>
          <th>Started</th>
          <th>Last seen</th>
          <th>Expires</th>
          <th>IP</th>
          <th>Device</th>
        </tr>
      </thead>
      <tbody>
        {detail.sessions.map((s) => (
          <tr>
            <td>{when(s.created_at)}</td>
            <td>{when(s.last_seen_at)}</td>
            <td>{when(s.expires_at)}</td>
            <td>{s.ip}</td>
            <td class="meta">{s.device ?? s.user_agent ?? '—'}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function Devices({ detail }: { detail: UserDetail }) {
  if (detail.devices.length === 0) return <p class="muted">None recorded.</p>;
  return (
    <table>
      <thead>
        <tr>
          <th>Type</th>
          <th>Browser</th>
          <th>OS</th>
          <th>First seen</th>
          <th>Last seen</th>
        </tr>
      </thead>
      <tbody>
        {detail.devices.map((d) => (
          <tr>
            <td>{d.device_type || '—'}</td>
            <td>{d.browser || '—'}</td>
            <td>{d.os || '—'}</td>
            <td>{when(d.first_seen_at)}</td>
            <td>{when(d.last_seen_at)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** The state of an emailed code, never the code. */
function codeState(code: UserDetail['codes']['login']): string {
  if (!code) return 'none issued';
  return `${code.pending ? 'pending' : 'used'}; ${code.code_expired ? 'expired' : 'valid'}; ${code.attempts_left} tries left`;
}
