import { Hono, type Context } from 'hono';
import { count, eq } from 'drizzle-orm';
import type { AppEnv } from '../http/context';
import { userBadges } from '../db/schema';
import { ApiError } from '../http/errors';
import { fieldErrors } from '../http/validate';
import { authorize } from '../admin/roles';
import { adminContext } from '../admin/context';
import { definitionBody } from '../badges/definition-schemas';
import { createBadge, findBadge, listBadges, updateBadge } from '../badges/definitions';
import { badgeAnalytics } from '../badges/analytics';
import { awardByStaff, revokeByStaff } from '../badges/staff-awards';
import { csrfProtect, readForm } from './guard';
import { render } from './render';
import { BadgeAnalyticsPage, BadgeFormPage, BadgeListPage, formValuesOf, type BadgeFormValues } from './pages/badges';
import { dbOf } from '../http/db-session';

const FLASHES: Record<string, string> = {
  created: 'The badge is created.',
  saved: 'The badge is saved.',
  deactivated: 'The badge is deactivated: hidden from users and never awarded automatically. Holders keep it.',
};

/** The form as the definition schema takes it: criteria parsed from its JSON, points a number or absent. */
function parseForm(form: Record<string, string>) {
  const values = Object.fromEntries(Object.keys(formValuesOf(null)).map((k) => [k, form[k] ?? ''])) as BadgeFormValues;
  let criteria: unknown;
  try {
    criteria = JSON.parse(values.criteria);
  } catch {
    return { values, errors: { criteria: ['Not valid JSON.'] } };
  }
  const parsed = definitionBody.safeParse({
    name: values.name,
    ...(values.slug.trim() ? { slug: values.slug } : {}),
    description: values.description,
    category: values.category,
    icon: values.icon,
    color: values.color.trim(),
    image_url: values.image_url.trim(),
    criteria,
    ...(values.points.trim() ? { points: Number(values.points) } : {}),
    rarity: values.rarity,
    is_active: values.is_active !== 'false',
  });
  return parsed.success ? { values, body: parsed.data } : { values, errors: fieldErrors(parsed.error) };
}

/** A refused save comes back as the form with the API's field messages (400), else the error goes up. */
async function saveOrShowErrors(c: Context<AppEnv>, existing: Awaited<ReturnType<typeof findBadge>> | null) {
  const { values, body, errors } = parseForm(c.get('form'));
  const again = (e: Record<string, string[]>) => render(c, <BadgeFormPage staff={c.get('staff')} csrf={c.get('csrf')} badge={existing} values={values} errors={e} />, 400);
  if (!body) return again(errors!);
  try {
    const saved = existing ? await updateBadge(adminContext(c), existing.id, body) : await createBadge(adminContext(c), body);
    return c.redirect(`/admin/badges/${saved.id}?done=${existing ? 'saved' : 'created'}`, 303);
  } catch (err) {
    if (err instanceof ApiError && err.fields) return again(err.fields);
    if (err instanceof ApiError && err.code === 'conflict') return again({ slug: [err.message] });
    throw err;
  }
}

/** Badge pages of the console: list, create, edit, deactivate, analytics; award and revoke from a user's page. */
export const badgeConsoleRoutes = new Hono<AppEnv>()
  .get('/badges', authorize('badges.read'), async (c) => {
    const db = dbOf(c);
    const [rows, holders] = await Promise.all([
      listBadges(db, {}, true),
      db.select({ id: userBadges.badgeId, n: count() }).from(userBadges).groupBy(userBadges.badgeId),
    ]);
    const held = new Map(holders.map((h) => [h.id, h.n]));
    return render(c, <BadgeListPage staff={c.get('staff')} csrf={c.get('csrf')} badges={rows.map((b) => ({ ...b, holders: held.get(b.id) ?? 0 }))} />);
  })
  .get('/badges/analytics', authorize('badges.read'), async (c) => {
    const ctx = adminContext(c);
    return render(c, <BadgeAnalyticsPage staff={ctx.staff} csrf={c.get('csrf')} figures={await badgeAnalytics(ctx.db, ctx.now)} />);
  })
  .get('/badges/new', authorize('badges.manage'), (c) =>
    render(c, <BadgeFormPage staff={c.get('staff')} csrf={c.get('csrf')} badge={null} values={formValuesOf(null)} />),
  )
  .post('/badges', readForm, csrfProtect, authorize('badges.manage'), (c) => saveOrShowErrors(c, null))
  .get('/badges/:id', authorize('badges.manage'), async (c) => {
    const badge = await findBadge(dbOf(c), c.req.param('id'), true);
    const flash = FLASHES[c.req.query('done') ?? ''];
    return render(c, <BadgeFormPage staff={c.get('staff')} csrf={c.get('csrf')} badge={badge} values={formValuesOf(badge)} flash={flash} />);
  })
  .post('/badges/:id', readForm, csrfProtect, authorize('badges.manage'), async (c) => saveOrShowErrors(c, await findBadge(dbOf(c), c.req.param('id'), true)))
  .post('/badges/:id/deactivate', readForm, csrfProtect, authorize('badges.manage'), async (c) => {
    const badge = await updateBadge(adminContext(c), c.req.param('id'), { is_active: false });
    return c.redirect(`/admin/badges/${badge.id}?done=deactivated`, 303);
  })
  .post('/users/:id/badges', readForm, csrfProtect, authorize('badges.award'), async (c) => {
    const form = c.get('form');
    const id = c.req.param('id');
    const reason = (form.reason ?? '').trim().slice(0, 500);
    const { created } = await awardByStaff(adminContext(c), id, form.badge ?? '', reason);
    return c.redirect(`/admin/users/${encodeURIComponent(id)}?done=${created ? 'badge_awarded' : 'badge_already_held'}`, 303);
  })
  .post('/users/:id/badges/:userBadgeId/revoke', readForm, csrfProtect, authorize('badges.award'), async (c) => {
    const id = c.req.param('id');
    const [row] = await dbOf(c).select({ userId: userBadges.userId }).from(userBadges).where(eq(userBadges.id, c.req.param('userBadgeId'))).limit(1);
    if (!row || row.userId !== id) throw new ApiError('not_found');
    await revokeByStaff(adminContext(c), c.req.param('userBadgeId'), (c.get('form').reason ?? '').trim().slice(0, 500));
    return c.redirect(`/admin/users/${encodeURIComponent(id)}?done=badge_revoked`, 303);
  });

