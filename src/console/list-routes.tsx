import { Hono } from 'hono';
import { eq } from 'drizzle-orm';
import type { AppEnv } from '../http/context';
import { users } from '../db/schema';
import { fieldErrors } from '../http/validate';
import { authorize } from '../admin/roles';
import { auditListQuery, mailFailureListQuery, userListQuery } from '../admin/schemas';
import { listUsers } from '../admin/list-users';
import { listAuditEvents } from '../admin/audit-list';
import { listMailFailures } from '../admin/mail-failures';
import { adminEvent, adminMailFailure, adminUser } from '../admin/serialize';
import { emailsOf } from '../admin/emails';
import { render } from './render';
import { pagesOf } from './pages/parts';
import { UsersPage } from './pages/users';
import { AuditPage } from './pages/audit';
import { MailPage } from './pages/mail';
import { dbOf } from '../http/db-session';

/** "role: Must be one of…; page: …" for a query the list schemas refused. */
const describeIssues = (error: Parameters<typeof fieldErrors>[0]) =>
  Object.entries(fieldErrors(error))
    .map(([field, messages]) => `${field}: ${messages.join(' ')}`)
    .join('; ');

/** The list pages: the admin API's queries behind GET forms, so filters and pages are plain links. */
export const listRoutes = new Hono<AppEnv>()
  .get('/users', authorize('users.read'), async (c) => {
    const raw = c.req.query();
    const parsed = userListQuery.safeParse(raw);
    const common = { staff: c.get('staff'), csrf: c.get('csrf'), url: c.req.url, raw };
    if (!parsed.success) return render(c, <UsersPage {...common} users={[]} count={0} page={1} pages={1} error={describeIssues(parsed.error)} />, 400);
    const { count, rows } = await listUsers(dbOf(c), parsed.data);
    const page = { count, page: parsed.data.page, pages: pagesOf(count, parsed.data.page_size) };
    return render(c, <UsersPage {...common} {...page} users={rows.map(adminUser)} />);
  })
  .get('/audit', authorize('audit.read'), async (c) => {
    const raw = c.req.query();
    const db = dbOf(c);
    // The form takes an email too; the query wants the account id.
    const user = raw.user?.includes('@') ? ((await db.query.users.findFirst({ where: eq(users.email, raw.user.trim().toLowerCase()) }))?.id ?? 'none') : raw.user;
    const parsed = auditListQuery.safeParse({ ...raw, user });
    const common = { staff: c.get('staff'), csrf: c.get('csrf'), url: c.req.url, raw };
    if (!parsed.success) return render(c, <AuditPage {...common} events={[]} emails={new Map()} count={0} page={1} pages={1} error={describeIssues(parsed.error)} />, 400);
    const { count, rows } = await listAuditEvents(db, parsed.data);
    const emails = await emailsOf(db, rows.flatMap((r) => [r.userId, r.actorId]));
    return render(c, <AuditPage {...common} events={rows.map(adminEvent)} emails={emails} count={count} page={parsed.data.page} pages={pagesOf(count, parsed.data.page_size)} />);
  })
  .get('/mail', authorize('mail.read'), async (c) => {
    const raw = c.req.query();
    const parsed = mailFailureListQuery.safeParse(raw);
    const common = { staff: c.get('staff'), csrf: c.get('csrf'), url: c.req.url, raw };
    if (!parsed.success) return render(c, <MailPage {...common} failures={[]} count={0} page={1} pages={1} error={describeIssues(parsed.error)} />, 400);
    const { count, rows } = await listMailFailures(dbOf(c), parsed.data);
    return render(c, <MailPage {...common} failures={rows.map(adminMailFailure)} count={count} page={parsed.data.page} pages={pagesOf(count, parsed.data.page_size)} />);
  });
