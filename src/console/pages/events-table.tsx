import type { AdminEvent } from '../../admin/serialize';
import { when } from '../render';
import { Badge } from './parts';

const TONES = { low: undefined, medium: 'warn', high: 'bad', critical: 'bad' } as const;

/** Audit events; user and actor link to their accounts, by email where known. */
export function EventsTable({ events, emails }: { events: AdminEvent[]; emails: Map<string, string> }) {
  const who = (id: string) => <a href={`/admin/users/${id}`}>{emails.get(id) ?? id.slice(0, 8)}</a>;
  return (
    <table>
      <thead>
        <tr>
          <th>When</th>
          <th>Event</th>
          <th>Severity</th>
          <th>Risk</th>
          <th>Account</th>
          <th>By</th>
          <th>IP</th>
          <th>User agent</th>
          <th>Details</th>
        </tr>
      </thead>
      <tbody>
        {events.map((e) => (
          <tr>
            <td>{when(e.created_at)}</td>
            <td class="event-type">
              {e.type}
              {e.requires_review ? <> <Badge tone={e.reviewed_at ? undefined : 'warn'}>{e.reviewed_at ? 'reviewed' : 'review'}</Badge></> : null}
            </td>
            <td>
              <Badge tone={TONES[e.severity]}>{e.severity}</Badge>
            </td>
            <td>{e.risk_score}</td>
            <td>{e.user_id ? who(e.user_id) : '—'}</td>
            <td>{e.actor_id ? (e.actor_id === e.user_id ? 'self' : who(e.actor_id)) : '—'}</td>
            <td>{e.ip ?? '—'}</td>
            <td class="meta">{e.user_agent ?? '—'}</td>
            <td class="meta">{JSON.stringify(e.metadata)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
