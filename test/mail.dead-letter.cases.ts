import { env } from 'cloudflare:workers';
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { createDb } from '../src/db/client';
import { mailFailures } from '../src/db/schema';
import { mailJob, runMailBatch } from './helpers/mail';

const DLQ = 'gatehouse-mail-dlq';
const db = createDb(env.DB);
const failuresOf = (messageId: string) => db.select().from(mailFailures).where(eq(mailFailures.messageId, messageId)).all();

describe('dead-letter consumer', () => {
  it('records a dead letter in mail_failures and acks it', async () => {
    const job = mailJob({ template: 'welcome', user_id: 'user-7', data: { first_name: 'Ada' } });
    const result = await runMailBatch(DLQ, [{ id: 'dl-1', body: job }]);
    expect(result.explicitAcks).toEqual(['dl-1']);
    expect(await failuresOf(job.id)).toEqual([
      expect.objectContaining({ template: 'welcome', recipient: job.to, userId: 'user-7', error: 'retries exhausted', attempts: 1 }),
    ]);
  });

  it('keeps the reason and attempt count of the last failed send', async () => {
    const job = mailJob();
    const broken = { ...env, MAIL_TRANSPORT: 'cloudflare', MAILER: undefined };
    for (const attempts of [1, 2, 3, 4, 5, 6]) await runMailBatch('gatehouse-mail', [{ body: job, attempts }], broken);
    await runMailBatch(DLQ, [{ body: job }]);
    const [failure] = await failuresOf(job.id);
    expect(failure).toMatchObject({ attempts: 6, error: expect.stringMatching(/MAILER send_email binding is missing/) });
  });

  it('records a job once however often its dead letter arrives', async () => {
    const job = mailJob();
    await runMailBatch(DLQ, [{ body: job }]);
    const again = await runMailBatch(DLQ, [{ id: 'dl-again', body: job }, { id: 'dl-same-batch', body: job }]);
    expect(again.explicitAcks.sort()).toEqual(['dl-again', 'dl-same-batch']);
    expect(await failuresOf(job.id)).toHaveLength(1);
  });

  it('records a malformed dead letter under its queue message id', async () => {
    const result = await runMailBatch(DLQ, [{ id: 'dl-garbage', body: { hello: 'world' } }]);
    expect(result.explicitAcks).toEqual(['dl-garbage']);
    expect(await failuresOf('dl-garbage')).toEqual([expect.objectContaining({ template: 'malformed', recipient: '', error: 'malformed mail job' })]);
  });
});
