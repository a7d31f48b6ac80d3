import type { Staff } from '../../admin/context';
import type { FieldErrors } from '../../http/errors';
import { Layout } from './layout';
import { ErrorBox } from './parts';

export interface FormState {
  values: Record<string, string>;
  /** Field -> messages; `non_field_errors` shows above the form. */
  errors?: FieldErrors;
  message?: string;
}

interface Field {
  name: string;
  label: string;
  type?: string;
  required?: boolean;
  hint?: string;
  autocomplete?: string;
}

const EMAIL: Field = { name: 'email', label: 'Email', type: 'email', required: true, autocomplete: 'off' };
const USERNAME: Field = { name: 'username', label: 'Username', hint: 'Letters, numbers and @/./+/-/_; leave empty for none.', autocomplete: 'off' };
const PHONE: Field = { name: 'phone_number', label: 'Phone', type: 'tel', hint: 'International format, e.g. +14155550123; leave empty for none.', autocomplete: 'off' };
const FIRST: Field = { name: 'first_name', label: 'First name' };
const LAST: Field = { name: 'last_name', label: 'Last name' };

function Fields({ fields, state }: { fields: Field[]; state: FormState }) {
  return (
    <>
      {fields.map((f) => {
        const errors = state.errors?.[f.name];
        return (
          <label class={errors ? 'field invalid' : 'field'}>
            {f.label}
            <input
              name={f.name}
              type={f.type ?? 'text'}
              value={state.values[f.name] ?? ''}
              required={f.required}
              autocomplete={f.autocomplete}
              aria-invalid={errors ? 'true' : undefined}
            />
            {f.hint ? <small class="muted">{f.hint}</small> : null}
            {errors?.map((e) => (
              <small class="field-error">{e}</small>
            ))}
          </label>
        );
      })}
    </>
  );
}

/** The message above a refused form: the refusal itself unless it is only about fields shown below. */
function topMessage(state: FormState): string | undefined {
  const general = state.errors?.non_field_errors?.join(' ');
  if (general) return general;
  const shownBelow = state.errors && Object.keys(state.errors).length > 0;
  return shownBelow ? 'Please correct the fields marked below.' : state.message;
}

/** New account: a GET form, so the next page (the confirmation) can show what will be created. */
export function CreateUserPage({ staff, csrf, state }: { staff: Staff; csrf: string; state: FormState }) {
  return (
    <Layout title="New account" staff={staff} csrf={csrf}>
      <div class="card form-card">
        <h1>New account</h1>
        <p class="muted">
          The account gets the user role and a random password nobody knows. A verification mail goes to the address; send a password reset afterwards so they can choose
          a password.
        </p>
        <ErrorBox message={topMessage(state)} />
        <form method="get" action="/admin/users/new/confirm" class="fields">
          <Fields fields={[EMAIL, USERNAME, PHONE, FIRST, LAST]} state={state} />
          <div class="buttons">
            <button type="submit">Continue…</button>
            <a class="button secondary" href="/admin/users">
              Cancel
            </a>
          </div>
        </form>
      </div>
    </Layout>
  );
}

export function EditUserPage({ staff, csrf, userId, email, state }: { staff: Staff; csrf: string; userId: string; email: string; state: FormState }) {
  return (
    <Layout title={`Edit ${email}`} staff={staff} csrf={csrf}>
      <div class="card form-card">
        <h1>Edit account</h1>
        <p>
          <a href={`/admin/users/${userId}`}>{email}</a>
        </p>
        <p class="muted">A new email address must be verified again: the code and link go to it. Usernames, numbers and addresses stay unique across all accounts.</p>
        <ErrorBox message={topMessage(state)} />
        <form method="get" action={`/admin/users/${userId}/edit/confirm`} class="fields">
          <Fields fields={[EMAIL, USERNAME, PHONE]} state={state} />
          <div class="buttons">
            <button type="submit">Continue…</button>
            <a class="button secondary" href={`/admin/users/${userId}`}>
              Cancel
            </a>
          </div>
        </form>
      </div>
    </Layout>
  );
}

export interface FormConfirmProps {
  staff: Staff;
  csrf: string;
  title: string;
  /** One sentence per thing that will happen. */
  lines: string[];
  action: string;
  fields: Record<string, string>;
  submit: string;
  cancel: string;
  danger?: boolean;
}

/** The confirmation of a form's job: what will happen, the values again as hidden fields, and the CSRF token. */
export function FormConfirmPage(props: FormConfirmProps) {
  return (
    <Layout title={props.title} staff={props.staff} csrf={props.csrf}>
      <div class="card narrow">
        <h1>{props.title}</h1>
        {props.lines.map((line) => (
          <p>{line}</p>
        ))}
        <form method="post" action={props.action}>
          <input type="hidden" name="csrf" value={props.csrf} />
          {Object.entries(props.fields).map(([name, value]) => (
            <input type="hidden" name={name} value={value} />
          ))}
          <button type="submit" class={props.danger ? 'danger' : undefined}>
            {props.submit}
          </button>
          <a class="button secondary" href={props.cancel}>
            Cancel
          </a>
        </form>
      </div>
    </Layout>
  );
}
