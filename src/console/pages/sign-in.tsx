import { Layout } from './layout';
import { ErrorBox, Flash } from './parts';

export function SignInPage({ error, notice, identifier }: { error?: string; notice?: string; identifier?: string }) {
  return (
    <Layout title="Sign in">
      <div class="card narrow">
        <h1>Sign in</h1>
        <p class="muted">For administrators and managers.</p>
        <Flash message={notice} />
        <ErrorBox message={error} />
        <form method="post" action="/admin/login">
          <label>
            Email or username
            <input name="identifier" type="text" autocomplete="username" required value={identifier ?? ''} />
          </label>
          <label>
            Password
            <input name="password" type="password" autocomplete="current-password" required />
          </label>
          <button type="submit">Sign in</button>
        </form>
      </div>
    </Layout>
  );
}

/** The second step for accounts with two-factor authentication. */
export function MfaPage({ mfaToken, error }: { mfaToken: string; error?: string }) {
  return (
    <Layout title="Two-factor code">
      <div class="card narrow">
        <h1>Two-factor code</h1>
        <p class="muted">Enter the code from your authenticator app, or one of your recovery codes.</p>
        <ErrorBox message={error} />
        <form method="post" action="/admin/login/mfa">
          <input type="hidden" name="mfa_token" value={mfaToken} />
          <label>
            Code
            <input name="code" type="text" autocomplete="one-time-code" inputmode="numeric" required maxlength={32} />
          </label>
          <button type="submit">Verify</button>
        </form>
      </div>
    </Layout>
  );
}

/** REQUIRE_ADMIN_MFA: what staff without two-factor see instead of the console. */
export function EnrolMfaPage() {
  return (
    <Layout title="Two-factor authentication required">
      <div class="card narrow">
        <h1>Two-factor authentication required</h1>
        <p>
          Staff accounts must have two-factor authentication turned on before the admin console serves them. Turn it on for your account
          first: with your password, <code>POST /api/v1/auth/mfa/totp/setup</code> gives the secret for your authenticator app, and{' '}
          <code>POST /api/v1/auth/mfa/totp/confirm</code> with a code from the app turns it on. Then sign in here again.
        </p>
        <p>
          <a href="/admin/login">Back to sign-in</a>
        </p>
      </div>
    </Layout>
  );
}
