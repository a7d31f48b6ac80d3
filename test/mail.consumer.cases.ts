import { env } from 'cloudflare:workers';
import { eq } from 'drizzle-orm';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createDb } from '../src/db/client';
import { mailDeliveries, mailFailures } from '../src/db/schema';
import { listDevMail } from '../src/mail/dev-mailbox/mailbox';
import { readLastError } from '../src/mail/last-error';
import { extractCode, mailJob, runMailBatch } from './helpers/mail';

const QUEUE = 'gatehouse-mail';
const db = createDb(env.DB);
/** A transport that really fails: Cloudflare sending without its send_email binding. */
const failingTransport = { ...env, MAIL_TRANSPORT: 'cloudflare', MAILER: undefined, MAIL_HTTP_API_KEY: 'test-key' };

const deliveryOf = (jobId: string) => db.select().from(mailDeliveries).where(eq(mailDeliveries.messageId, jobId)).get();

afterEach(() => vi.restoreAllMocks());

describe('mail consumer', () => {
  it('sends a job, records the delivery and acks', async () => {
    const job = mailJob({ template: 'login_code', data: { code: '246810', minutes: 10 } });
    const result = await runMailBatch(QUEUE, [{ id: 'm-1', body: job }]);
    expect(result.explicitAcks).toEqual(['m-1']);
    expect(result.retryMessages).toEqual([]);
    expect(await deliveryOf(job.id)).toMatchObject({ template: 'login_code', transport: 'dev' });
    const [mail] = await listDevMail(env.KV, job.to);
    expect(extractCode(mail!.text)).toBe('246810');
  });

  it('sends through the send_email binding when configured for Cloudflare', async () => {
    const job = mailJob();
    const result = await runMailBatch(QUEUE, [{ id: 'cf', body: job }], { ...env, MAIL_TRANSPORT: 'cloudflare' });
    expect(result.explicitAcks).toEqual(['cf']);
    expect(await deliveryOf(job.id)).toMatchObject({ transport: 'cloudflare' });
    expect(await listDevMail(env.KV, job.to)).toEqual([]);
  });

  it('does not send a redelivered job twice', async () => {
    const job = mailJob();
    await runMailBatch(QUEUE, [{ body: job }]);
    const again = await runMailBatch(QUEUE, [{ id: 'm-again', body: job, attempts: 2 }]);
    expect(again.explicitAcks).toEqual(['m-again']);
    expect(await listDevMail(env.KV, job.to)).toHaveLength(1);
  });

  it('sends every job of a batch, even two copies of one job only once', async () => {
    const [a, b] = [mailJob(), mailJob()];
    const result = await runMailBatch(QUEUE, [{ id: 'a', body: a }, { id: 'b', body: b }, { id: 'a2', body: a }]);
    expect(result.explicitAcks.sort()).toEqual(['a', 'a2', 'b']);
    expect(await listDevMail(env.KV, a.to)).toHaveLength(1);
    expect(await listDevMail(env.KV, b.to)).toHaveLength(1);
  });

  it('retries a failed send with a growing delay and keeps the reason', async () => {
    const job = mailJob();
    const delays: (number | undefined)[] = [];
    for (const attempts of [1, 2, 3, 4]) {
      const result = await runMailBatch(QUEUE, [{ id: `try-${attempts}`, body: job, attempts }], failingTransport);
      expect(result.explicitAcks).toEqual([]);
      expect(result.retryMessages.map((r) => r.msgId)).toEqual([`try-${attempts}`]);
      delays.push(result.retryMessages[0]!.delaySeconds);
    }
    expect(delays).toEqual([5, 10, 20, 40]);
    expect(await deliveryOf(job.id)).toBeUndefined();
    expect(await readLastError(env.KV, job.id)).toEqual({ error: expect.stringMatching(/MAILER send_email binding is missing/), attempts: 4 });
  });

  it('caps the retry delay', async () => {
    const result = await runMailBatch(QUEUE, [{ body: mailJob(), attempts: 30 }], failingTransport);
    expect(result.retryMessages[0]!.delaySeconds).toBe(900);
  });

  it('logs a failure without the code or the full address', async () => {
    const lines: string[] = [];
    for (const level of ['log', 'warn', 'error'] as const) vi.spyOn(console, level).mockImplementation((line) => void lines.push(String(line)));
    const job = mailJob({ to: 'private.person@example.com', data: { code: '975310', minutes: 10 } });
    await runMailBatch(QUEUE, [{ body: job }], failingTransport);
    const log = lines.join('\n');
    expect(log).toContain('mail send failed');
    expect(log).toContain('p***@example.com');
    expect(log).not.toContain('private.person');
    expect(log).not.toContain('975310');
    expect(log).not.toContain('test-key');
  });

  it('acks malformed bodies instead of retrying them forever', async () => {
    const bodies = ['hello', null, { id: 'x' }, { ...mailJob(), template: 'no_such_template' }, { ...mailJob(), data: { code: 123456 } }, { ...mailJob(), to: 'a@b.c\r\nBcc: x@y.z' }];
    const messages = bodies.map((body, i) => ({ id: `bad-${i}`, body }));
    const result = await runMailBatch(QUEUE, messages);
    expect(result.explicitAcks.sort()).toEqual(messages.map((m) => m.id).sort());
    expect(result.retryMessages).toEqual([]);
  });

  it('records a job that can never render (a foreign link) as failed, and acks it', async () => {
    const job = mailJob({
      template: 'verify_email',
      user_id: 'user-1',
      data: { code: '123456', link: 'https://evil.example/verify?token=x', code_minutes: 10, link_hours: 24 },
    });
    const result = await runMailBatch(QUEUE, [{ id: 'foreign', body: job }]);
    expect(result.explicitAcks).toEqual(['foreign']);
    const failure = await db.select().from(mailFailures).where(eq(mailFailures.messageId, job.id)).get();
    expect(failure).toMatchObject({ template: 'verify_email', recipient: job.to, userId: 'user-1', attempts: 1 });
    expect(failure!.error).toMatch(/public URL/);
    expect(await listDevMail(env.KV, job.to)).toEqual([]);
  });
});
