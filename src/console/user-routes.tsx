import { Hono, type Context } from 'hono';
import type { AppEnv } from '../http/context';
import { clock } from '../clock';
import { ApiError, validationError } from '../http/errors';
import { fieldErrors } from '../http/validate';
import { adminContext } from '../admin/context';
import { authorize } from '../admin/roles';
import { userDetail } from '../admin/user-detail';
import { emailsOf } from '../admin/emails';
import { consoleAction } from './actions';
import { csrfProtect, readForm } from './guard';
import { render } from './render';
import { UserPage } from './pages/user-detail';
import { ConfirmPage } from './pages/confirm';
import { socialDetail } from './social-detail';
import { JOB_FLASHES } from './job-actions';
import { BADGE_FLASHES, userBadgeDetail } from './badge-detail';
import { dbOf } from '../http/db-session';

function actionOf(name: string | undefined) {
  const action = consoleAction(name);
  if (!action) throw new ApiError('not_found', 'There is no such action.');
  return action;
}

/** The action's extra fields (role, minutes), validated; nothing else from the request is passed on. */
function inputOf(action: ReturnType<typeof actionOf>, source: Record<string, string>): Record<string, string> {
  if (!action.input) return {};
  const parsed = action.input.safeParse(source);
  if (!parsed.success) throw validationError(fieldErrors(parsed.error), 'The action was sent with a value it does not take.');
  return parsed.data;
}

const permissionOfQuery = (c: Context<AppEnv>) => [actionOf(c.req.query('action')).permission];
const permissionOfForm = (c: Context<AppEnv>) => [actionOf(c.get('form').action).permission];

/** One account: its page, the confirmation of an action, and the action itself (POST, CSRF-checked, then back to the page). */
export const userRoutes = new Hono<AppEnv>()
  .get('/users/:id', authorize('users.read'), async (c) => {
    const db = dbOf(c);
    const detail = await userDetail(c.env, db, c.req.param('id'), clock.now());
    const emails = await emailsOf(db, detail.recent_events.flatMap((e) => [e.user_id, e.actor_id]));
    const done = consoleAction(c.req.query('done'));
    const social = await socialDetail(db, detail.user.id);
    const badges = await userBadgeDetail(db, detail.user.id);
    const flash = done?.done ?? BADGE_FLASHES[c.req.query('done') ?? ''] ?? JOB_FLASHES[c.req.query('done') ?? ''];
    return render(c, <UserPage staff={c.get('staff')} csrf={c.get('csrf')} detail={detail} emails={emails} flash={flash} social={social} badges={badges} />);
  })
  .get('/users/:id/confirm', authorize(permissionOfQuery), async (c) => {
    const action = actionOf(c.req.query('action'));
    const input = inputOf(action, c.req.query());
    const detail = await userDetail(c.env, dbOf(c), c.req.param('id'), clock.now());
    return render(c, <ConfirmPage staff={c.get('staff')} csrf={c.get('csrf')} user={detail.user} action={action} input={input} />);
  })
  .post('/users/:id/actions', readForm, csrfProtect, authorize(permissionOfForm), async (c) => {
    const action = actionOf(c.get('form').action);
    const id = c.req.param('id');
    await action.run(adminContext(c), id, inputOf(action, c.get('form')));
    return c.redirect(`/admin/users/${encodeURIComponent(id)}?done=${action.name}`, 303);
  });
