import type { Staff } from '../../admin/context';
import { can } from '../../admin/permissions';
import { LockFields } from './lock-fields';
import { CONSOLE_ACTIONS } from '../actions';
import { BULK_ACTIONS, MAX_BULK } from '../bulk';
import { withQuery } from '../render';

/** The list's sortable columns: the admin API's whitelisted `ordering` keys. */
export type SortKey = 'email' | 'username' | 'role' | 'date_joined' | 'last_login';

/** A column header that sorts by its column: first click ascending (newest first for times), again to reverse. */
export function SortHeader({ url, label, column, ordering }: { url: string; label: string; column: SortKey; ordering: string }) {
  const timeColumn = column === 'date_joined' || column === 'last_login';
  const active = ordering === column || ordering === `-${column}`;
  const descending = ordering.startsWith('-');
  const next = active ? (descending ? column : `-${column}`) : timeColumn ? `-${column}` : column;
  const sort = active ? (descending ? 'descending' : 'ascending') : undefined;
  return (
    <th aria-sort={sort}>
      <a class={active ? 'sort active' : 'sort'} href={withQuery(url, { ordering: next, page: undefined })}>
        {label}
        {active ? (descending ? ' ▼' : ' ▲') : ''}
      </a>
    </th>
  );
}

/** The bar above the list that acts on the ticked rows (their checkboxes name this form), behind one confirmation. */
export function BulkBar({ staff }: { staff: Staff }) {
  const offered = BULK_ACTIONS.filter((name) => can(staff.role, CONSOLE_ACTIONS[name].permission));
  if (offered.length === 0) return null;
  return (
    <form id="bulk" class="bulk" method="get" action="/admin/users/bulk/confirm">
      <label>
        With the selected (up to {MAX_BULK})
        <select name="action">
          {offered.map((name) => (
            <option value={name}>{CONSOLE_ACTIONS[name].label}</option>
          ))}
        </select>
      </label>
      <LockFields reasonLabel="Lock reason" />
      <button type="submit">Continue…</button>
    </form>
  );
}
