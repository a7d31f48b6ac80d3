import { env } from 'cloudflare:workers';
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { createDb } from '../src/db/client';
import { mailDeliveries } from '../src/db/schema';
import { saveDevMail } from '../src/mail/dev-mailbox/mailbox';
import { enqueueMail } from '../src/mail/enqueue';
import { extractCode, mailJob, mailSettled, readMailbox, waitForMail } from './helpers/mail';

/** Through the real local queue: producer -> consumer -> dev mailbox (no batch window in tests: vitest.config.ts). */
describe('the real queue path', () => {
  it('a job put on MAIL_QUEUE by enqueueMail lands in the dev mailbox, recorded as delivered', async () => {
    const to = `queue.path.${crypto.randomUUID().slice(0, 8)}@example.com`;
    const id = await enqueueMail(env, { template: 'password_reset_code', to, userId: null, data: { code: '135790', minutes: 10 } }, Date.now());
    const mail = await waitForMail(to, { subject: /password reset/i });
    expect(extractCode(mail.text)).toBe('135790');
    expect(mail.to).toBe(to);
    const delivery = await createDb(env.DB).select().from(mailDeliveries).where(eq(mailDeliveries.messageId, id)).get();
    expect(delivery).toMatchObject({ template: 'password_reset_code', transport: 'dev' });
  });

  it('the same job sent twice is delivered once', async () => {
    const job = mailJob();
    await env.MAIL_QUEUE.send(job);
    await waitForMail(job.to);
    // A second copy, then a different job to the same address: once that one is in, the copy was consumed.
    await env.MAIL_QUEUE.send(job);
    await env.MAIL_QUEUE.send(mailJob({ to: job.to, template: 'lockout_notice', data: { minutes: 5 } }));
    await waitForMail(job.to, { subject: /locked/ });
    expect((await readMailbox(job.to)).map((m) => m.subject)).toEqual(['Your Gatehouse account was temporarily locked', 'Your Gatehouse sign-in code']);
  });

  it('waitForMail waits for a newer message when asked', async () => {
    const to = `newer.${crypto.randomUUID().slice(0, 8)}@example.com`;
    const t = Date.now() - 5000;
    await saveDevMail(env.KV, { to, from: 'x@example.com', subject: 'Your code', text: '000000', html: '', raw: '', created_at: new Date(t).toISOString() }, t);
    const old = await waitForMail(to);
    await env.MAIL_QUEUE.send(mailJob({ to, data: { code: '864200', minutes: 10 } }));
    const fresh = await waitForMail(to, { subject: /sign-in code/, newerThan: old.created_at });
    expect(extractCode(fresh.text)).toBe('864200');
  });

  it('mailSettled returns only after every mail queued before it was delivered', async () => {
    const to = `settle.${crypto.randomUUID().slice(0, 8)}@example.com`;
    const codes = ['111111', '222222', '333333', '444444', '555555', '666666', '777777', '888888', '999999', '101010', '121212', '131313'];
    for (const code of codes) await env.MAIL_QUEUE.send(mailJob({ to, data: { code, minutes: 10 } }), { contentType: 'json' });
    await mailSettled();
    expect((await readMailbox(to)).map((mail) => extractCode(mail.text)).sort()).toEqual([...codes].sort());
  });

  it('waitForMail gives up with a clear error', async () => {
    await expect(waitForMail('never@example.com', { timeoutMs: 300 })).rejects.toThrow(/no mail to never@example.com/);
  });
});
