import type { UserDetail } from '../../admin/user-detail';
import { when } from '../render';

export function Sessions({ detail }: { detail: UserDetail }) {
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

export function Devices({ detail }: { detail: UserDetail }) {
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
