import type { Staff } from '../../admin/context';
import type { AdminUser } from '../../admin/serialize';
import { ROLES } from '../../db/schema';
import { when } from '../render';
import { Layout } from './layout';
import { ANY_YES_NO, Badge, ErrorBox, Pager, Select, YesNo } from './parts';

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

const ORDERINGS = [
  { value: '', label: 'newest first' },
  { value: 'date_joined', label: 'oldest first' },
  { value: 'email', label: 'email A–Z' },
  { value: '-email', label: 'email Z–A' },
  { value: '-last_login', label: 'last sign-in' },
  { value: '-deleted_at', label: 'deleted most recently' },
];

export function UsersPage(props: UsersPageProps) {
  const { raw } = props;
  return (
    <Layout title="Users" staff={props.staff} csrf={props.csrf}>
      <h1>Users</h1>
      <form class="filters" method="get" action="/admin/users" role="search">
        <label>
          Search
          <input name="search" type="search" value={raw.search ?? ''} placeholder="email, username or name" />
        </label>
        <Select name="role" label="Role" value={raw.role} choices={[{ value: '', label: 'any' }, ...ROLES.map((r) => ({ value: r, label: r }))]} />
        <Select name="email_verified" label="Verified" value={raw.email_verified} choices={ANY_YES_NO} />
        <Select name="is_active" label="Active" value={raw.is_active} choices={ANY_YES_NO} />
        <Select
          name="deleted"
          label="Show"
          value={raw.deleted}
          choices={[
            { value: '', label: 'live accounts' },
            { value: 'true', label: 'deleted accounts' },
          ]}
        />
        <Select name="ordering" label="Order" value={raw.ordering} choices={ORDERINGS} />
        <button type="submit">Search</button>
      </form>
      <ErrorBox message={props.error} />
      <table>
        <thead>
          <tr>
            <th>Email</th>
            <th>Name</th>
            <th>Username</th>
            <th>Role</th>
            <th>Verified</th>
            <th>Active</th>
            <th>Joined</th>
            <th>Last sign-in</th>
          </tr>
        </thead>
        <tbody>
          {props.users.map((u) => (
            <tr>
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
              <td>{when(u.date_joined)}</td>
              <td>{when(u.last_login)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {props.users.length === 0 ? <p class="muted">No accounts match.</p> : null}
      <Pager url={props.url} page={props.page} pages={props.pages} count={props.count} />
    </Layout>
  );
}
