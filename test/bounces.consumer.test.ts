/// <reference types="vite/client" />
import { env } from 'cloudflare:workers';
import { afterEach, describe, expect, it } from 'vitest';
import { setClock } from '../src/clock';
import { createDb } from '../src/db/client';
import { listDevMail } from '../src/mail/dev-mailbox/mailbox';
import { findSuppression } from '../src/mail/bounces';
import { api, registration } from './helpers/api';
import { deliverInbound, reportAbout } from './helpers/inbound-email';
import { extractCode, mailJob, runMailBatch, waitForMail } from './helpers/mail';
import { createVerifiedUser } from './helpers/users';
import postfixBounce from './fixtures/bounces/postfix-hard-bounce.eml?raw';

const QUEUE = 'gatehouse-mail';
const db = createDb(env.DB);
/** A hard bounce about a message recorded as sent to `email`. */
const bounce = async (email: string) => deliverInbound((await reportAbout(postfixBounce, email)).raw);

/** The Message-ID header of a message in the dev mailbox. */
const messageIdOf = (raw: string) => /^Message-ID: (<[^>]+>)/im.exec(raw)![1]!;

const failureOf = (jobId: string) =>
  env.DB.prepare('SELECT template, recipient, error FROM mail_failures WHERE message_id = ?').bind(jobId).first<Record<string, unknown>>();

afterEach(() => setClock(null));

describe('mail to suppressed addresses', () => {
  it('the consumer skips it, acks, and records why in mail_failures', async () => {
    const user = await createVerifiedUser();
    await bounce(user.email);
    const job = mailJob({ template: 'password_changed', to: user.email, user_id: user.id, data: { time: '2026-09-01T12:00:00Z' } });
    const result = await runMailBatch(QUEUE, [{ id: 'skip-1', body: job }]);
    expect(result.explicitAcks).toEqual(['skip-1']);
    expect(result.retryMessages).toEqual([]);
    expect(await listDevMail(env.KV, user.email)).toEqual([]);
    expect(await failureOf(job.id)).toEqual({ template: 'password_changed', recipient: user.email, error: 'suppressed: hard bounce (5.1.1)' });
    expect(await db.query.mailDeliveries.findFirst({ where: (d, { eq }) => eq(d.messageId, job.id) })).toBeUndefined();
  });

  it('a redelivered skipped job is recorded once', async () => {
    const user = await createVerifiedUser();
    await bounce(user.email);
    const job = mailJob({ template: 'lockout_notice', to: user.email, data: { minutes: 5 } });
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

  it('records each sent message with its recipient and Message-ID, and a bounce of that very message suppresses', async () => {
    const user = await createVerifiedUser();
    const job = mailJob({ template: 'login_code', to: user.email.toUpperCase(), user_id: user.id });
    await runMailBatch(QUEUE, [{ body: job }]);
    const [sent] = await listDevMail(env.KV, user.email.toUpperCase());
    const messageId = messageIdOf(sent!.raw);
    const row = await env.DB.prepare('SELECT recipient, mime_message_id FROM mail_deliveries WHERE message_id = ?').bind(job.id).first();
    expect(row).toEqual({ recipient: user.email, mime_message_id: messageId.slice(1, -1).toLowerCase() });
    // The bounce as a mail system would write it: the message's own headers returned.
    const raw = postfixBounce.replaceAll('ada@example.com', user.email).replace(/^Message-ID: <[^>]+>/m, `Message-ID: ${messageId}`);
    await deliverInbound(raw);
    expect(await findSuppression(db, user.email)).toMatchObject({ kind: 'bounce' });
  });

  it('sign-in and reset codes still go out to a suppressed address; notices do not', async () => {
    const user = await createVerifiedUser();
    await bounce(user.email);
    const codes = [
      mailJob({ template: 'login_code', to: user.email, user_id: user.id, data: { code: '135790', minutes: 10 } }),
      mailJob({ template: 'password_reset_code', to: user.email, user_id: user.id, data: { code: '246802', minutes: 10 } }),
    ];
    const notice = mailJob({ template: 'new_sign_in', to: user.email, user_id: user.id, data: { ip: '192.0.2.1', user_agent: 'x', time: 'now' } });
    await runMailBatch(QUEUE, [...codes, notice].map((body) => ({ body })));
    const subjects = (await listDevMail(env.KV, user.email)).map((m) => m.subject);
    expect(subjects).toHaveLength(2);
    expect(subjects).toEqual(expect.arrayContaining([expect.stringMatching(/reset code/i), expect.stringMatching(/sign-in code/i)]));
    expect(await failureOf(notice.id)).toMatchObject({ template: 'new_sign_in', error: 'suppressed: hard bounce (5.1.1)' });
  });

  it('verification mail still goes out, and verifying clears the suppression', async () => {
    const body = registration();
    const registered = await api('/api/v1/auth/register', { body });
    expect(registered.status).toBe(201);
    const sent = await waitForMail(body.email, { subject: /verify/i });
    // A bounce of the verification mail itself, as its Message-ID was recorded by the consumer.
    await deliverInbound(postfixBounce.replaceAll('ada@example.com', body.email).replace(/^Message-ID: <[^>]+>/m, `Message-ID: ${messageIdOf(sent.raw)}`));
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
