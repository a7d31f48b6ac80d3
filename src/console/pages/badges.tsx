import type { Staff } from '../../admin/context';
import { can } from '../../admin/permissions';
import type { BadgeRow } from '../../db/schema';
import { BADGE_CATEGORIES, BADGE_RARITIES } from '../../db/schema';
import { POINT_BANDS } from '../../badges/definition-schemas';
import type { BadgeAnalytics } from '../../badges/analytics';
import { when } from '../render';
import { Layout } from './layout';
import { ErrorBox, Flash, YesNo } from './parts';
import { DayChart, HBarChart } from './badge-charts';

export interface BadgeListProps {
  staff: Staff;
  csrf: string;
  badges: (BadgeRow & { holders: number })[];
  flash?: string;
}

export function BadgeListPage({ staff, csrf, badges, flash }: BadgeListProps) {
  const manage = can(staff.role, 'badges.manage');
  return (
    <Layout title="Badges" staff={staff} csrf={csrf}>
      <h1>Badges</h1>
      <Flash message={flash} />
      <p>
        {manage ? (
          <a class="button" href="/admin/badges/new">
            New badge
          </a>
        ) : null}{' '}
        <a class="button secondary" href="/admin/badges/analytics">
          Analytics
        </a>
      </p>
      <table>
        <thead>
          <tr>
            <th>Name</th>
            <th>Slug</th>
            <th>Category</th>
            <th>Rarity</th>
            <th>Points</th>
            <th>Criteria</th>
            <th>Active</th>
            <th>Holders</th>
          </tr>
        </thead>
        <tbody>
          {badges.map((b) => (
            <tr>
              <td>{manage ? <a href={`/admin/badges/${b.id}`}>{b.name}</a> : b.name}</td>
              <td class="meta">{b.slug}</td>
              <td>{b.category}</td>
              <td>{b.rarity}</td>
              <td>{String(b.points)}</td>
              <td class="meta">{(JSON.parse(b.criteria) as { type?: string }).type ?? '?'}</td>
              <td>
                <YesNo value={b.isActive} />
              </td>
              <td>{String(b.holders)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {badges.length === 0 ? <p class="muted">No badges yet. `npm run seed-badges` adds a starter set.</p> : null}
    </Layout>
  );
}

/** The form's values as typed (strings), so a refused form comes back as it was sent. */
export type BadgeFormValues = Record<'slug' | 'name' | 'description' | 'category' | 'icon' | 'color' | 'image_url' | 'criteria' | 'points' | 'rarity' | 'is_active', string>;

export function formValuesOf(b: BadgeRow | null): BadgeFormValues {
  return {
    slug: b?.slug ?? '',
    name: b?.name ?? '',
    description: b?.description ?? '',
    category: b?.category ?? 'achievement',
    icon: b?.icon ?? '',
    color: b?.color ?? '',
    image_url: b?.imageUrl ?? '',
    criteria: b ? JSON.stringify(JSON.parse(b.criteria), null, 2) : '{\n  "type": "counter",\n  "field": "follower_count",\n  "threshold": 100\n}',
    points: b ? String(b.points) : '',
    rarity: b?.rarity ?? 'common',
    is_active: b ? String(b.isActive) : 'true',
  };
}

export interface BadgeFormProps {
  staff: Staff;
  csrf: string;
  badge: BadgeRow | null;
  values: BadgeFormValues;
  errors?: Record<string, string[]>;
  flash?: string;
}

const FieldError = ({ errors, name }: { errors?: Record<string, string[]>; name: string }) => {
  const messages = Object.entries(errors ?? {})
    .filter(([k]) => k === name || k.startsWith(`${name}.`))
    .map(([k, m]) => (k === name ? m.join(' ') : `${k.slice(name.length + 1)}: ${m.join(' ')}`));
  return messages.length ? <span class="field-error">{messages.join('; ')}</span> : null;
};

/** Create or edit one badge; the criteria JSON is validated by the same schema as the API. */
export function BadgeFormPage({ staff, csrf, badge, values, errors, flash }: BadgeFormProps) {
  const action = badge ? `/admin/badges/${badge.id}` : '/admin/badges';
  const bands = Object.entries(POINT_BANDS)
    .map(([r, b]) => `${r} ${b.min}–${b.max}`)
    .join(', ');
  return (
    <Layout title={badge ? `Badge ${badge.name}` : 'New badge'} staff={staff} csrf={csrf}>
      <h1>{badge ? `Badge: ${badge.name}` : 'New badge'}</h1>
      <Flash message={flash} />
      <ErrorBox message={errors ? 'The badge was not saved: see the fields below.' : null} />
      <form method="post" action={action} class="badge-form">
        <input type="hidden" name="csrf" value={csrf} />
        <label>
          Name <input type="text" name="name" value={values.name} maxlength={100} required />
          <FieldError errors={errors} name="name" />
        </label>
        <label>
          Slug (empty: from the name) <input type="text" name="slug" value={values.slug} maxlength={64} />
          <FieldError errors={errors} name="slug" />
        </label>
        <label>
          Description <input type="text" name="description" value={values.description} maxlength={500} />
          <FieldError errors={errors} name="description" />
        </label>
        <label>
          Category
          <select name="category">
            {BADGE_CATEGORIES.map((c) => (
              <option value={c} selected={values.category === c}>
                {c}
              </option>
            ))}
          </select>
        </label>
        <label>
          Rarity
          <select name="rarity">
            {BADGE_RARITIES.map((r) => (
              <option value={r} selected={values.rarity === r}>
                {r}
              </option>
            ))}
          </select>
        </label>
        <label>
          {`Points (empty: the rarity's default; bands: ${bands})`}
          <input type="number" name="points" value={values.points} min={1} max={500} />
          <FieldError errors={errors} name="points" />
        </label>
        <label>
          Icon <input type="text" name="icon" value={values.icon} maxlength={64} />
        </label>
        <label>
          Colour (#rrggbb) <input type="text" name="color" value={values.color} maxlength={7} />
          <FieldError errors={errors} name="color" />
        </label>
        <label>
          Image URL (https) <input type="text" name="image_url" value={values.image_url} maxlength={2048} />
          <FieldError errors={errors} name="image_url" />
        </label>
        <label>
          Criteria (JSON: counter, consecutive_days, multi_criteria, event_based, social_interaction, join_rank or manual)
          <textarea name="criteria" spellcheck={false}>
            {values.criteria}
          </textarea>
          <FieldError errors={errors} name="criteria" />
        </label>
        <label>
          Active
          <select name="is_active">
            <option value="true" selected={values.is_active === 'true'}>
              yes
            </option>
            <option value="false" selected={values.is_active === 'false'}>
              no (deactivated: hidden, never awarded automatically)
            </option>
          </select>
        </label>
        <p>
          <button type="submit">{badge ? 'Save' : 'Create'}</button>{' '}
          <a class="button secondary" href="/admin/badges">
            Back
          </a>
        </p>
      </form>
      {badge?.isActive ? (
        <form method="post" action={`/admin/badges/${badge.id}/deactivate`}>
          <input type="hidden" name="csrf" value={csrf} />
          <button type="submit" class="danger">
            Deactivate
          </button>
        </form>
      ) : null}
    </Layout>
  );
}

export function BadgeAnalyticsPage({ staff, csrf, figures }: { staff: Staff; csrf: string; figures: BadgeAnalytics }) {
  const t = figures.totals;
  return (
    <Layout title="Badge analytics" staff={staff} csrf={csrf}>
      <h1>Badge analytics</h1>
      <div class="figures">
        <div>
          <strong>{String(t.badges)}</strong>badges ({String(t.active_badges)} active)
        </div>
        <div>
          <strong>{String(t.awards)}</strong>awards
        </div>
        <div>
          <strong>{String(t.users_with_badges)}</strong>users with badges
        </div>
        <div>
          <strong>{String(t.points_awarded)}</strong>points awarded
        </div>
      </div>
      <div class="grid">
        <HBarChart title="Awards by category" bars={figures.by_category.map((r) => ({ label: r.category, value: r.awards }))} />
        <HBarChart title="Awards by rarity" color="#8a5a00" bars={figures.by_rarity.map((r) => ({ label: r.rarity, value: r.awards }))} />
      </div>
      <DayChart title="Awards per day (last 30 days, UTC)" bars={figures.awards_per_day.map((d) => ({ label: d.day, value: d.awards }))} />
      <div class="grid">
        <section class="card">
          <h2>Top 10 badges</h2>
          <table>
            <thead>
              <tr>
                <th>Badge</th>
                <th>Rarity</th>
                <th>Awards</th>
              </tr>
            </thead>
            <tbody>
              {figures.top_badges.map((b) => (
                <tr>
                  <td>{b.badge.name}</td>
                  <td>{b.badge.rarity}</td>
                  <td>{String(b.awards)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
        <section class="card">
          <h2>20 most recent awards</h2>
          <table>
            <thead>
              <tr>
                <th>When</th>
                <th>User</th>
                <th>Badge</th>
                <th>By</th>
              </tr>
            </thead>
            <tbody>
              {figures.recent_awards.map((a) => (
                <tr>
                  <td class="meta">{when(a.earned_at)}</td>
                  <td>
                    <a href={`/admin/users/${a.user_id}`}>{a.username ?? a.email}</a>
                  </td>
                  <td>{a.badge.name}</td>
                  <td class="meta">{a.awarded_by ? 'staff' : 'automatic'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      </div>
    </Layout>
  );
}
