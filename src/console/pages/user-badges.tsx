import type { Staff } from '../../admin/context';
import { can } from '../../admin/permissions';
import type { UserBadgeDetail } from '../badge-detail';
import { when } from '../render';

/** A user page's badges: what they hold (revoke), and a form to award one. Both post straight back (CSRF-checked, audited). */
export function UserBadgesSection({ staff, csrf, userId, badges }: { staff: Staff; csrf: string; userId: string; badges: UserBadgeDetail }) {
  const award = can(staff.role, 'badges.award');
  const heldIds = new Set(badges.held.map((h) => h.badge.id));
  const awardable = badges.available.filter((b) => !heldIds.has(b.id));
  return (
    <>
      <h2>{`Badges (${badges.held.length})`}</h2>
      {badges.held.length ? (
        <table>
          <thead>
            <tr>
              <th>Badge</th>
              <th>Points</th>
              <th>Earned</th>
              <th>How</th>
              <th>Featured</th>
              {award ? <th></th> : null}
            </tr>
          </thead>
          <tbody>
            {badges.held.map((h) => (
              <tr>
                <td>{`${h.badge.name} (${h.badge.slug})`}</td>
                <td>{String(h.badge.points)}</td>
                <td class="meta">{when(h.row.earnedAt.toISOString())}</td>
                <td class="meta">{h.row.awardedBy ? `staff${h.row.reason ? `: ${h.row.reason}` : ''}` : 'automatic'}</td>
                <td>{h.row.isFeatured ? 'yes' : ''}</td>
                {award ? (
                  <td>
                    <form method="post" action={`/admin/users/${userId}/badges/${h.row.id}/revoke`}>
                      <input type="hidden" name="csrf" value={csrf} />
                      <button type="submit" class="danger">
                        Revoke
                      </button>
                    </form>
                  </td>
                ) : null}
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p class="muted">None.</p>
      )}
      {award && awardable.length ? (
        <section class="actions" aria-label="Award a badge">
          <form method="post" action={`/admin/users/${userId}/badges`}>
            <input type="hidden" name="csrf" value={csrf} />
            <label>
              Badge
              <select name="badge">
                {awardable.map((b) => (
                  <option value={b.slug}>{`${b.name} (${b.rarity}, ${b.points})`}</option>
                ))}
              </select>
            </label>
            <label>
              Reason
              <input type="text" name="reason" maxlength={500} />
            </label>
            <button type="submit">Award badge</button>
          </form>
        </section>
      ) : null}
    </>
  );
}
