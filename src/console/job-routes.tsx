import { Hono, type Context } from 'hono';
import type { AppEnv } from '../http/context';
import { getConfig } from '../config/config';
import { ApiError, validationError, type FieldErrors } from '../http/errors';
import { fieldErrors } from '../http/validate';
import { adminContext } from '../admin/context';
import { authorize } from '../admin/roles';
import { loadTarget } from '../admin/target';
import { userPatch, type UserPatch } from '../admin/schemas';
import { updateUser } from '../admin/update';
import { identityChanges } from '../admin/identity';
import { phoneReader } from '../users/phones';
import { checkNewUser, createUser, createUserBody, type CreateUserInput } from '../admin/create';
import { passwordHistoryOf } from '../admin/password-history';
import { csrfProtect, readForm } from './guard';
import { render } from './render';
import { bulkAction, runBulk, selectedAccounts, selectedIds } from './bulk';
import { CreateUserPage, EditUserPage, FormConfirmPage, type FormState } from './pages/user-form';
import { PasswordHistoryPage } from './pages/password-history';
import { BulkConfirmPage, BulkResultPage } from './pages/bulk';
import { dbOf } from '../http/db-session';

const CREATE_FIELDS = ['email', 'username', 'phone_number', 'first_name', 'last_name'] as const;
const EDIT_FIELDS = ['email', 'username', 'phone_number'] as const;
const TAKEN_FIELD: Partial<Record<ApiError['code'], string>> = { email_taken: 'email', username_taken: 'username', phone_taken: 'phone_number' };

const pick = (source: Record<string, string | undefined>, names: readonly string[]) => Object.fromEntries(names.map((n) => [n, source[n] ?? '']));

/** A refusal the form can show next to its fields (bad or taken values), or null for any other error. */
function formRefusal(err: unknown): { errors: FieldErrors; message: string; status: ApiError['status'] } | null {
  if (!(err instanceof ApiError)) return null;
  const field = TAKEN_FIELD[err.code];
  if (field) return { errors: { [field]: [err.message] }, message: err.message, status: err.status };
  if (err.code === 'validation_failed') return { errors: err.fields ?? {}, message: err.message, status: err.status };
  return null;
}

function parsed<T>(result: { success: true; data: T } | { success: false; error: Parameters<typeof fieldErrors>[0] }): T {
  if (!result.success) throw validationError(fieldErrors(result.error));
  return result.data;
}

const createInput = (values: Record<string, string>): CreateUserInput => parsed(createUserBody.safeParse(values));

/** The edit form's values as the admin API's patch: empty username or phone clears it. */
const editPatch = (values: Record<string, string>): UserPatch =>
  parsed(userPatch.safeParse({ email: values.email, username: values.username?.trim() || null, phone_number: values.phone_number?.trim() || null }));

/** Runs a form's step; a refusal shows the form again with its errors (and its status), anything else goes to the error page. */
async function orForm(c: Context<AppEnv>, values: Record<string, string>, page: (state: FormState) => unknown, step: () => Promise<Response>) {
  try {
    return await step();
  } catch (err) {
    const refusal = formRefusal(err);
    if (!refusal) throw err;
    return render(c, page({ values, errors: refusal.errors, message: refusal.message }), refusal.status);
  }
}

const describe = (label: string, from: string | null, to: string | null) => `${label}: ${from ?? '(none)'} → ${to ?? '(none)'}.`;

const createRoutes = new Hono<AppEnv>()
  .get('/users/new', authorize('users.create'), (c) => render(c, <CreateUserPage staff={c.get('staff')} csrf={c.get('csrf')} state={{ values: {} }} />))
  .get('/users/new/confirm', authorize('users.create'), async (c) => {
    const values = pick(c.req.query(), CREATE_FIELDS);
    const page = (state: FormState) => <CreateUserPage staff={c.get('staff')} csrf={c.get('csrf')} state={state} />;
    return orForm(c, values, page, async () => {
      const input = createInput(values);
      const { keys, username } = await checkNewUser(adminContext(c), input);
      const name = `${input.first_name} ${input.last_name}`.trim();
      const lines = [
        `Create an account for ${keys.email}${name ? ` (${name})` : ''}${username ? `, username ${username}` : ''}${keys.phoneNumber ? `, phone ${keys.phoneNumber}` : ''}?`,
        'It gets the user role and an unverified address; a verification code and link are mailed to it.',
      ];
      return render(c, <FormConfirmPage staff={c.get('staff')} csrf={c.get('csrf')} title="Create account" lines={lines} action="/admin/users/new" fields={values} submit="Yes, create the account" cancel="/admin/users" />);
    });
  })
  .post('/users/new', readForm, csrfProtect, authorize('users.create'), async (c) => {
    const values = pick(c.get('form'), CREATE_FIELDS);
    const page = (state: FormState) => <CreateUserPage staff={c.get('staff')} csrf={c.get('csrf')} state={state} />;
    return orForm(c, values, page, async () => {
      const user = await createUser(adminContext(c), createInput(values));
      return c.redirect(`/admin/users/${user.id}?done=created`, 303);
    });
  });

const editRoutes = new Hono<AppEnv>()
  .get('/users/:id/edit', authorize('users.edit'), async (c) => {
    const user = await loadTarget(dbOf(c), c.req.param('id'));
    const values = { email: user.email ?? '', username: user.username ?? '', phone_number: user.phoneNumber ?? '' };
    return render(c, <EditUserPage staff={c.get('staff')} csrf={c.get('csrf')} userId={user.id} email={user.email ?? user.username ?? user.id} state={{ values }} />);
  })
  .get('/users/:id/edit/confirm', authorize('users.edit'), async (c) => {
    const user = await loadTarget(dbOf(c), c.req.param('id'));
    const values = pick(c.req.query(), EDIT_FIELDS);
    const page = (state: FormState) => <EditUserPage staff={c.get('staff')} csrf={c.get('csrf')} userId={user.id} email={user.email ?? user.username ?? user.id} state={state} />;
    return orForm(c, values, page, async () => {
      const changes = await identityChanges(dbOf(c), user, editPatch(values), phoneReader({ env: c.env, config: getConfig(c.env), log: c.get('log') }));
      const lines = [
        changes.email !== undefined ? describe('Email', user.email, changes.email) + ' The new address must be verified again; a code and link are mailed to it.' : null,
        changes.usernameKey !== undefined ? describe('Username', user.username, changes.username ?? null) : null,
        changes.phoneNumber !== undefined ? describe('Phone', user.phoneNumber, changes.phoneNumber) : null,
      ].filter((line): line is string => line !== null);
      if (lines.length === 0) throw validationError({ non_field_errors: ['Nothing is changed: edit a field first.'] });
      lines.unshift(`Save these changes to ${user.email}?`);
      const title = 'Change the account';
      return render(c, <FormConfirmPage staff={c.get('staff')} csrf={c.get('csrf')} title={title} lines={lines} action={`/admin/users/${user.id}/edit`} fields={values} submit="Yes, save the changes" cancel={`/admin/users/${user.id}`} />);
    });
  })
  .post('/users/:id/edit', readForm, csrfProtect, authorize('users.edit'), async (c) => {
    const user = await loadTarget(dbOf(c), c.req.param('id'));
    const values = pick(c.get('form'), EDIT_FIELDS);
    const page = (state: FormState) => <EditUserPage staff={c.get('staff')} csrf={c.get('csrf')} userId={user.id} email={user.email ?? user.username ?? user.id} state={state} />;
    return orForm(c, values, page, async () => {
      await updateUser(adminContext(c), user.id, editPatch(values));
      return c.redirect(`/admin/users/${user.id}?done=edited`, 303);
    });
  });

function bulkOf(name: string | undefined) {
  const action = bulkAction(name);
  if (!action) throw new ApiError('not_found', 'There is no such bulk action.');
  return action;
}

/** The action's extra fields (minutes, reason), validated; nothing else is passed on. */
function bulkInput(action: ReturnType<typeof bulkOf>, source: Record<string, string>) {
  if (!action.input) return {};
  const result = action.input.safeParse(source);
  if (!result.success) throw validationError(fieldErrors(result.error), 'The action was sent with a value it does not take.');
  return result.data;
}

const bulkRoutes = new Hono<AppEnv>()
  .get('/users/bulk/confirm', authorize((c) => [bulkOf(c.req.query('action')).permission]), async (c) => {
    const action = bulkOf(c.req.query('action'));
    const input = bulkInput(action, c.req.query());
    const accounts = await selectedAccounts(dbOf(c), selectedIds(c.req.queries('ids') ?? []));
    if (accounts.length === 0) throw new ApiError('not_found', 'None of the selected accounts exists.');
    return render(c, <BulkConfirmPage staff={c.get('staff')} csrf={c.get('csrf')} action={action} accounts={accounts} input={input} />);
  })
  .post('/users/bulk', readForm, csrfProtect, authorize((c) => [bulkOf(c.get('form').action).permission]), async (c) => {
    const action = bulkOf(c.get('form').action);
    const input = bulkInput(action, c.get('form'));
    const accounts = await selectedAccounts(dbOf(c), selectedIds((c.get('form').ids ?? '').split(',')));
    const outcomes = await runBulk(adminContext(c), action, accounts, input);
    return render(c, <BulkResultPage staff={c.get('staff')} csrf={c.get('csrf')} action={action} outcomes={outcomes} />);
  });

/**
 * The everyday jobs with pages of their own (issue 17): a new account, the edit form, the
 * password history, and bulk actions on accounts selected in the list. Each acting step is
 * a confirmation page, then a CSRF-checked POST to the admin service the API calls.
 * Mounted before the user routes, whose /users/:id would otherwise take /users/new.
 */
export const jobRoutes = new Hono<AppEnv>()
  .route('/', createRoutes)
  .route('/', bulkRoutes)
  .route('/', editRoutes)
  .get('/users/:id/password-history', authorize('users.read'), async (c) => {
    const db = dbOf(c);
    const user = await loadTarget(db, c.req.param('id'), 'any');
    return render(c, <PasswordHistoryPage staff={c.get('staff')} csrf={c.get('csrf')} user={user} changes={await passwordHistoryOf(db, user.id)} />);
  });
