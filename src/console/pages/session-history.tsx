import type { UserDetail } from '../../admin/user-detail';
import { when } from '../render';

/** "1 h 5 min", "42 s": a session's length for people. */
export function duration(seconds: number): string {
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours} h ${minutes % 60} min`;
  return `${Math.floor(hours / 24)} d ${hours % 24} h`;
}

/** The account's session history (the D1 mirror): open and ended sessions, where from, how they ended. */
export function SessionHistory({ detail }: { detail: UserDetail }) {
  if (detail.session_history.length === 0) return <p class="muted">No sessions recorded.</p>;
  return (
    <table class="session-history">
      <thead>
        <tr>
          <th>Started</th>
          <th>Last seen</th>
          <th>Ended</th>
          <th>How</th>
          <th>Time spent</th>
          <th>Where</th>
          <th>Device</th>
        </tr>
      </thead>
      <tbody>
        {detail.session_history.map((s) => (
          <tr>
            <td>{when(s.created_at)}</td>
            <td>{when(s.last_seen_at)}</td>
            <td>{s.ended_at ? when(s.ended_at) : 'open'}</td>
            <td>{s.end_reason ?? '—'}</td>
            <td>{duration(s.time_spent)}</td>
            <td class="meta">{[s.city, s.country, s.colo && `via ${s.colo}`].filter(Boolean).join(', ') || '—'} · {s.ip}</td>
            <td class="meta">{s.device ?? s.user_agent ?? '—'}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
