import type { Staff } from '../../admin/context';
import type { UserDetail } from '../../admin/user-detail';
import { when } from '../render';
import { Layout } from './layout';
import { Badge, Flash, YesNo } from './parts';
import { EventsTable } from './events-table';
import { MailFailuresTable } from './mail';
import { Actions } from './user-actions';
import { Devices, Sessions } from './user-tables';
import { SessionHistory } from './session-history';
import { SocialSection } from './user-social';
import type { SocialDetail } from '../social-detail';
import { UserBadgesSection } from './user-badges';
import type { UserBadgeDetail } from '../badge-detail';

export interface UserPageProps {
  staff: Staff;
  csrf: string;
  detail: UserDetail;
  /** Emails of the accounts named in the recent events. */
  emails: Map<string, string>;
  flash?: string;
  /** The social layer's part of the page (issue 13). */
  social?: SocialDetail;
  /** Badges held, and the award form (issue 15). */
  badges?: UserBadgeDetail;
}

export function UserPage({ staff, csrf, detail, emails, flash, social, badges }: UserPageProps) {
  const u = detail.user;
  return (
    <Layout title={u.email ?? u.username ?? u.id} staff={staff} csrf={csrf}>
      <h1>
        {u.email ?? u.username ?? u.id} {u.deleted_at ? <Badge tone="bad">deleted</Badge> : null} {detail.admin_lock ? <Badge tone="bad">locked by staff</Badge> : null}{' '}
        {detail.lockout.locked ? <Badge tone="bad">locked</Badge> : null}
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
      {social ? <SocialSection staff={staff} userId={u.id} social={social} /> : null}
      {badges ? <UserBadgesSection staff={staff} csrf={csrf} userId={u.id} badges={badges} /> : null}
      <h2>Sessions ({detail.sessions.length})</h2>
      <Sessions detail={detail} />
      <h2>Session history</h2>
      <SessionHistory detail={detail} />
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
      <dt>Admin lock</dt>
      <dd>{adminLockState(detail.admin_lock)}</dd>
      <dt>Password changed</dt>
      <dd>{when(u.password_changed_at)}</dd>
      <dt>Mail</dt>
      <dd>{s ? <Badge tone="bad">{`suppressed: ${s.kind} (${s.reason}) since ${when(s.created_at)}`}</Badge> : 'delivered normally'}</dd>
    </dl>
  );
}

function adminLockState(lock: UserDetail['admin_lock']): string {
  if (!lock) return 'none';
  const why = lock.reason ? `: ${lock.reason}` : '';
  return `locked until ${when(lock.locked_until)} by ${lock.locked_by.email} (since ${when(lock.locked_at)})${why}`;
}

/** The state of an emailed code, never the code. */
function codeState(code: UserDetail['codes']['login']): string {
  if (!code) return 'none issued';
  return `${code.pending ? 'pending' : 'used'}; ${code.code_expired ? 'expired' : 'valid'}; ${code.attempts_left} tries left`;
}
