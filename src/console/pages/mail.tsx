import type { Staff } from '../../admin/context';
import type { AdminMailFailure } from '../../admin/serialize';
import { when } from '../render';
import { Layout } from './layout';
import { ErrorBox, Pager } from './parts';

export interface MailPageProps {
  staff: Staff;
  csrf: string;
  url: string;
  raw: Record<string, string>;
  failures: AdminMailFailure[];
  count: number;
  page: number;
  pages: number;
  error?: string;
}

export function MailFailuresTable({ failures }: { failures: AdminMailFailure[] }) {
  return (
    <table>
      <thead>
        <tr>
          <th>When</th>
          <th>Template</th>
          <th>Recipient</th>
          <th>Error</th>
          <th>Attempts</th>
        </tr>
      </thead>
      <tbody>
        {failures.map((f) => (
          <tr>
            <td>{when(f.created_at)}</td>
            <td>{f.template}</td>
            <td>{f.user_id ? <a href={`/admin/users/${f.user_id}`}>{f.recipient}</a> : f.recipient}</td>
            <td class="meta">{f.error}</td>
            <td>{f.attempts}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function MailPage(props: MailPageProps) {
  return (
    <Layout title="Failed mail" staff={props.staff} csrf={props.csrf}>
      <h1>Failed mail</h1>
      <p class="muted">Mail that was still failing after its last retry.</p>
      <form class="filters" method="get" action="/admin/mail">
        <label>
          Recipient
          <input name="recipient" type="email" value={props.raw.recipient ?? ''} />
        </label>
        <label>
          Template
          <input name="template" type="text" value={props.raw.template ?? ''} />
        </label>
        <button type="submit">Filter</button>
      </form>
      <ErrorBox message={props.error} />
      <MailFailuresTable failures={props.failures} />
      {props.failures.length === 0 ? <p class="muted">No failed mail.</p> : null}
      <Pager url={props.url} page={props.page} pages={props.pages} count={props.count} />
    </Layout>
  );
}
