/// <reference types="vite/client" />
import { env } from 'cloudflare:workers';
import { afterEach, describe, expect, it } from 'vitest';
import { setClock } from '../src/clock';
import { createDb } from '../src/db/client';
import { listDevMail } from '../src/dev/mailbox';
import { findSuppression } from '../src/bounces';
import { api, registration } from './helpers/api';
import { deliverInbound } from './helpers/inbound-email';
import { extractCode, mailJob, runMailBatch, waitForMail } from './helpers/mail';
import { createVerifiedUser } from './helpers/users';
import postfixBounce from './fixtures/bounces/postfix-hard-bounce.eml?raw';

const QUEUE = 'gatehouse-mail';
const db = createDb(env.DB);
const bounce = (email: string) => deliverInbound(postfixBounce.replaceAll('ada@example.com', email));

const failureOf = (jobId: string) =>
  env.DB.prepare('SELECT template, recipient, error FROM mail_failures WHERE message_id = ?').bind(jobId).first<Record<string, unknown>>();

afterEach(() => setClock(null));

describe('mail to suppressed addresses', () => {
  it('the consumer skips it, acks, and records why in mail_failures', async () => {
    const user = await createVerifiedUser();
    await bounce(user.email);
    const job = mailJob({ template: 'login_code', to: user.email, user_id: user.id, data: { code: '135790', minutes: 10 } });
    const result = await runMailBatch(QUEUE, [{ id: 'skip-1', body: job }]);
    expect(result.explicitAcks).toEqual(['skip-1']);
    expect(result.retryMessages).toEqual([]);
    expect(await listDevMail(env.KV, user.email)).toEqual([]);
    expect(await failureOf(job.id)).toEqual({ template: 'login_code', recipient: user.email, error: 'suppressed: hard bounce (5.1.1)' });
    expect(await db.query.mailDeliveries.findFirst({ where: (d, { eq }) => eq(d.messageId, job.id) })).toBeUndefined();
  });

  it('a redelivered skipped job is recorded once', async () => {
    const user = await createVerifiedUser();
    await bounce(user.email);
    const job = mailJob({ to: user.email });
    await runMailBatch(QUEUE, [{ body: job }]);
    await runMailBatch(QUEUE, [{ body: job, attempts: 2 }]);
    const rows = await env.DB.prepare('SELECT COUNT(*) AS n FROM mail_failures WHERE message_id = ?').bind(job.id).first('n');
    expect(rows).toBe(1);
  });

  it('other addresses are still sent to', async () => {
    const [bounced, fine] = [await createVerifiedUser(), await createVerifiedUser()];
    await bounce(bounced.email);
    const job = mailJob({ to: fine.email });
    await runMailBatch(QUEUE, [{ body: job }]);
    expect(await listDevMail(env.KV, fine.email)).toHaveLength(1);
  });

  it('verification mail still goes out, and verifying clears the suppression', async () => {
    const body = registration();
    const registered = await api('/api/v1/auth/register', { body });
    expect(registered.status).toBe(201);
    await waitForMail(body.email, { subject: /verify/i });
    await bounce(body.email);
    expect(await findSuppression(db, body.email)).toMatchObject({ kind: 'bounce' });

    const later = Date.now() + 61_000; // past the resend spacing
    setClock({ now: () => later });
    const resent = await api('/api/v1/auth/resend-verification', { body: { email: body.email } });
    expect(resent.status).toBe(200);
    // Only the resent mail is newer than the first one; it arrives despite the suppression.
    const [first] = await listDevMail(env.KV, body.email);
    const mail = await waitForMail(body.email, { subject: /verify/i, newerThan: first!.created_at });
    const verified = await api('/api/v1/auth/verify-email', { body: { email: body.email, code: extractCode(mail.text) } });
    expect(verified.status).toBe(200);
    expect(await findSuppression(db, body.email)).toBeUndefined();
    // And the welcome mail, no longer suppressed, is delivered.
    await waitForMail(body.email, { subject: /welcome/i });
  });
});
