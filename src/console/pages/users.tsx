import type { Staff } from '../../admin/context';
import type { AdminUser } from '../../admin/serialize';
import { ROLES } from '../../db/schema';
import { can } from '../../admin/permissions';
import { Layout } from './layout';
import { ANY_YES_NO, Badge, ErrorBox, Pager, Select, YesNo } from './parts';
import { Time } from './time';
import { BulkBar, SortHeader } from './user-list-parts';

export interface UsersPageProps {
  staff: Staff;
  csrf: string;
  url: string;
  raw: Record<string, string>;
  users: AdminUser[];
  count: number;
  page: number;
  pages: number;
  error?: string;
}


export function UsersPage(props: UsersPageProps) {
  const { raw } = props;
  // Unset, the list is newest first (the trash: most recently deleted).
  const ordering = raw.ordering || (raw.deleted === 'true' ? '-deleted_at' : '-date_joined');
  const sort = (label: string, column: Parameters<typeof SortHeader>[0]['column']) => <SortHeader url={props.url} label={label} column={column} ordering={ordering} />;
  return (
    <Layout title="Users" staff={props.staff} csrf={props.csrf}>
      <div class="title-row">
        <h1>Users</h1>
        {can(props.staff.role, 'users.create') ? (
          <a class="button" href="/admin/users/new">
            New account…
          </a>
        ) : null}
      </div>
      <form class="filters" method="get" action="/admin/users" role="search">
        <label>
          Search
          <input name="search" type="search" value={raw.search ?? ''} placeholder="email, username or name" />
        </label>
        <Select name="role" label="Role" value={raw.role} choices={[{ value: '', label: 'any' }, ...ROLES.map((r) => ({ value: r, label: r }))]} />
        <Select name="email_verified" label="Verified" value={raw.email_verified} choices={ANY_YES_NO} />
        <Select name="is_active" label="Active" value={raw.is_active} choices={ANY_YES_NO} />
        <Select name="mfa_enabled" label="Two-factor" value={raw.mfa_enabled} choices={ANY_YES_NO} />
        <Select
          name="deleted"
          label="Show"
          value={raw.deleted}
          choices={[
            { value: '', label: 'live accounts' },
            { value: 'true', label: 'deleted accounts' },
          ]}
        />
        {raw.ordering ? <input type="hidden" name="ordering" value={raw.ordering} /> : null}
        <button type="submit">Search</button>
      </form>
      <ErrorBox message={props.error} />
      <BulkBar staff={props.staff} />
      <table class="users">
        <thead>
          <tr>
            <th>
              <span class="visually-hidden">Select</span>
            </th>
            {sort('Email', 'email')}
            <th>Name</th>
            {sort('Username', 'username')}
            {sort('Role', 'role')}
            <th>Verified</th>
            <th>Active</th>
            <th>Two-factor</th>
            {sort('Joined', 'date_joined')}
            {sort('Last sign-in', 'last_login')}
          </tr>
        </thead>
        <tbody>
          {props.users.map((u) => (
            <tr>
              <td>
                <input type="checkbox" name="ids" value={u.id} form="bulk" aria-label={`Select ${u.email}`} />
              </td>
              <td>
                <a href={`/admin/users/${u.id}`}>{u.email}</a> {u.deleted_at ? <Badge tone="bad">deleted</Badge> : null}
              </td>
              <td>{`${u.first_name} ${u.last_name}`.trim() || '—'}</td>
              <td>{u.username ?? '—'}</td>
              <td>{u.role}</td>
              <td>
                <YesNo value={u.email_verified} />
              </td>
              <td>
                <YesNo value={u.is_active} />
              </td>
              <td>
                <YesNo value={u.mfa_enabled} />
              </td>
              <td>
                <Time at={u.date_joined} />
              </td>
              <td>
                <Time at={u.last_login} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {props.users.length === 0 ? <p class="muted">No accounts match.</p> : null}
      <Pager url={props.url} page={props.page} pages={props.pages} count={props.count} />
    </Layout>
  );
}
