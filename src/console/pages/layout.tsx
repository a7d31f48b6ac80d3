import type { Child } from 'hono/jsx';
import type { Staff } from '../../admin/context';

export interface LayoutProps {
  title: string;
  staff?: Staff;
  csrf?: string;
  children?: Child;
}

/** Every console page: our stylesheet only, navigation and sign-out for a signed-in staff member. */
export function Layout({ title, staff, csrf, children }: LayoutProps) {
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        {/* Our own pages may see where a visitor came from (and browsers then send Origin on our forms); nobody else. */}
        <meta name="referrer" content="same-origin" />
        <link rel="icon" href="/admin/assets/favicon.svg" type="image/svg+xml" />
        <title>{`${title} · Gatehouse admin`}</title>
        <link rel="stylesheet" href="/admin/assets/console.css" />
      </head>
      <body>
        <header class="top">
          <strong>Gatehouse admin</strong>
          {staff ? (
            <>
              <nav>
                <a href="/admin/users">Users</a>
                <a href="/admin/audit">Audit events</a>
                <a href="/admin/mail">Failed mail</a>
                <a href="/admin/badges">Badges</a>
                <a href="/admin/stats">Daily report</a>
              </nav>
              <span class="who">
                {staff.email} ({staff.role})
              </span>
              <form method="post" action="/admin/logout">
                <input type="hidden" name="csrf" value={csrf} />
                <button type="submit" class="secondary">
                  Sign out
                </button>
              </form>
            </>
          ) : null}
        </header>
        <main>{children}</main>
      </body>
    </html>
  );
}
