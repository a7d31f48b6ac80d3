import type { Staff } from '../../admin/context';
import type { AdminEvent } from '../../admin/serialize';
import { AUDIT_EVENTS, EVENT_CATEGORIES } from '../../audit/event-types';
import { SEVERITIES } from '../../db/schema';
import { Layout } from './layout';
import { ErrorBox, Pager, Select } from './parts';
import { EventsTable } from './events-table';

export interface AuditPageProps {
  staff: Staff;
  csrf: string;
  url: string;
  raw: Record<string, string>;
  events: AdminEvent[];
  emails: Map<string, string>;
  count: number;
  page: number;
  pages: number;
  error?: string;
}

const YES_NO = [
  { value: '', label: 'any' },
  { value: 'true', label: 'yes' },
  { value: 'false', label: 'no' },
];

export function AuditPage(props: AuditPageProps) {
  const { raw } = props;
  return (
    <Layout title="Audit events" staff={props.staff} csrf={props.csrf}>
      <h1>Audit events</h1>
      <form class="filters" method="get" action="/admin/audit">
        <label>
          Account (email or id)
          <input name="user" type="text" value={raw.user ?? ''} />
        </label>
        <Select name="type" label="Event" value={raw.type} choices={[{ value: '', label: 'any' }, ...Object.keys(AUDIT_EVENTS).sort().map((t) => ({ value: t, label: t }))]} />
        <Select name="severity" label="Severity" value={raw.severity} choices={[{ value: '', label: 'any' }, ...SEVERITIES.map((s) => ({ value: s, label: s }))]} />
        <label>
          Since
          <input name="since" type="datetime-local" value={raw.since ?? ''} />
        </label>
        <Select name="category" label="Category" value={raw.category} choices={[{ value: '', label: 'any' }, ...EVENT_CATEGORIES.map((k) => ({ value: k, label: k }))]} />
        <Select name="requires_review" label="Flagged for review" value={raw.requires_review} choices={YES_NO} />
        <Select name="reviewed" label="Reviewed" value={raw.reviewed} choices={YES_NO} />
        <label>
          Target account (id)
          <input name="target_user" type="text" value={raw.target_user ?? ''} />
        </label>
        <label>
          Risk at least
          <input name="min_risk" type="number" min="0" max="100" value={raw.min_risk ?? ''} />
        </label>
        <button type="submit">Filter</button>
      </form>
      <ErrorBox message={props.error} />
      <EventsTable events={props.events} emails={props.emails} />
      {props.events.length === 0 ? <p class="muted">No events match.</p> : null}
      <Pager url={props.url} page={props.page} pages={props.pages} count={props.count} />
    </Layout>
  );
}
