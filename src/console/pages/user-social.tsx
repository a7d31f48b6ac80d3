import type { Staff } from '../../admin/context';
import { can } from '../../admin/permissions';
import type { SocialDetail } from '../social-detail';
import { when } from '../render';
import { Badge, YesNo } from './parts';

/** The social section of a user page, with its actions (each leads to the confirmation page). */
export function SocialSection({ staff, userId, social }: { staff: Staff; userId: string; social: SocialDetail }) {
  const p = social.profile;
  const pro = social.professional;
  const confirm = `/admin/users/${userId}/confirm`;
  return (
    <>
      <h2>Social {p?.isSuspended ? <Badge tone="bad">suspended</Badge> : null}</h2>
      <section class="actions" aria-label="Social actions">
        {can(staff.role, 'users.suspend') && p && !p.isSuspended ? (
          <form method="get" action={confirm}>
            <input type="hidden" name="action" value="suspend" />
            <label>
              Reason
              <input type="text" name="reason" maxlength={500} required />
            </label>
            <button type="submit">Suspend…</button>
          </form>
        ) : null}
        {can(staff.role, 'users.suspend') && p?.isSuspended ? (
          <a class="button" href={`${confirm}?action=unsuspend`}>
            Lift suspension…
          </a>
        ) : null}
        {can(staff.role, 'professional.verify') && pro ? (
          <form method="get" action={confirm}>
            <input type="hidden" name="action" value={pro.isVerified ? 'unverify_professional' : 'verify_professional'} />
            <label>
              Note
              <input type="text" name="note" maxlength={500} />
            </label>
            <button type="submit">{pro.isVerified ? 'Remove verification…' : 'Verify professional profile…'}</button>
          </form>
        ) : null}
      </section>
      <div class="grid">
        <section class="card">
          <h3>Profile</h3>
          {p ? (
            <dl class="facts">
              <dt>Display name</dt>
              <dd>{p.displayName || '—'}</dd>
              <dt>Account type</dt>
              <dd>{p.accountType}</dd>
              <dt>Visibility</dt>
              <dd>{p.profileVisibility}</dd>
              <dt>Verified</dt>
              <dd>
                <YesNo value={p.isVerified} />
              </dd>
              <dt>Followers / following</dt>
              <dd>{`${p.followerCount} / ${p.followingCount}`}</dd>
              <dt>Suspension</dt>
              <dd>{p.isSuspended ? `suspended: ${p.suspensionReason}` : 'none'}</dd>
              <dt>Country / city</dt>
              <dd>{[p.country, p.city].filter(Boolean).join(' / ') || '—'}</dd>
              <dt>Scores</dt>
              <dd>{`engagement ${p.engagementScore}, quality ${p.contentQualityScore}, interaction ${p.interactionFrequency}`}</dd>
            </dl>
          ) : (
            <p class="muted">No profile.</p>
          )}
        </section>
        <section class="card">
          <h3>Settings</h3>
          <dl class="facts">
            {Object.entries(social.settings).map(([key, value]) => (
              <>
                <dt>{key}</dt>
                <dd>{String(value)}</dd>
              </>
            ))}
          </dl>
        </section>
        <section class="card">
          <h3>Professional profile</h3>
          {pro ? (
            <dl class="facts">
              <dt>Company</dt>
              <dd>{pro.companyName || '—'}</dd>
              <dt>Job title</dt>
              <dd>{pro.jobTitle || '—'}</dd>
              <dt>Address</dt>
              <dd>{pro.businessAddress || '—'}</dd>
              <dt>Certifications</dt>
              <dd>{(JSON.parse(pro.certifications) as string[]).join(', ') || '—'}</dd>
              <dt>Verified</dt>
              <dd>{pro.isVerified ? `yes, ${when(pro.verifiedAt?.toISOString() ?? null)}` : 'no'}</dd>
              <dt>Note</dt>
              <dd>{pro.verificationNote || '—'}</dd>
            </dl>
          ) : (
            <p class="muted">None.</p>
          )}
        </section>
      </div>
      <h3>Blocks</h3>
      <p>{`Blocks ${social.blocked.length} account(s); blocked by ${social.blockedBy.length}.`}</p>
      {social.blocked.length ? (
        <ul>
          {social.blocked.map((b) => (
            <li>
              <a href={`/admin/users/${b.blockedId}`}>{b.blockedId}</a> {`since ${when(b.createdAt.toISOString())}`}
              {b.reason ? ` (${b.reason})` : ''}
            </li>
          ))}
        </ul>
      ) : null}
    </>
  );
}
