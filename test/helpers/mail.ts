import { env, exports } from 'cloudflare:workers';
import { createExecutionContext, createMessageBatch, getQueueResult, type QueueResult } from 'cloudflare:test';
import worker from '../../src/index';
import type { DevMail } from '../../src/mail/dev-mailbox/mailbox';
import type { MailJob } from '../../src/mail/types';

export type { DevMail };

export interface WaitForMailOptions {
  /** Only messages whose subject matches. */
  subject?: RegExp;
  /** Only messages created strictly after this ISO timestamp (e.g. an earlier mail's created_at). */
  newerThan?: string;
  /** Any other condition. */
  predicate?: (mail: DevMail) => boolean;
  /** How long to poll. Default 10 s; the test queue delivers within milliseconds (vitest.config.ts). */
  timeoutMs?: number;
}

/** Short: the test queue has no batch window, so a mail is usually in after one or two polls. */
const POLL_INTERVAL_MS = 10;

/** The dev mailbox of an address, newest first. */
export async function readMailbox(to: string): Promise<DevMail[]> {
  const res = await exports.default.fetch(mailboxUrl(to));
  if (res.status !== 200) throw new Error(`GET /dev/mailbox answered ${res.status}: ${await res.text()}`);
  const body = (await res.json()) as { messages: DevMail[] };
  return body.messages;
}

export async function clearMailbox(to: string): Promise<void> {
  const res = await exports.default.fetch(mailboxUrl(to), { method: 'DELETE' });
  if (res.status !== 204) throw new Error(`DELETE /dev/mailbox answered ${res.status}`);
}

/** Polls the dev mailbox until a matching message arrives; returns the newest match. */
export async function waitForMail(to: string, opts: WaitForMailOptions = {}): Promise<DevMail> {
  const deadline = Date.now() + (opts.timeoutMs ?? 10_000);
  for (;;) {
    const match = (await readMailbox(to)).find((mail) => matches(mail, opts));
    if (match) return match;
    if (Date.now() >= deadline) throw new Error(`no mail to ${to} matching ${describe(opts)} within ${opts.timeoutMs ?? 10_000} ms`);
    await new Promise((resolve) => setTimeout(resolve, POLL_INTERVAL_MS));
  }
}

/**
 * Resolves once every mail queued before the call has been consumed: it queues a marker
 * mail to an address of its own and waits for it. The queue hands messages to the
 * consumer in order and the consumer takes a batch one message at a time, so anything
 * queued earlier (say by a request that has answered) is in its mailbox or failed by then.
 * For "no further mail was sent" checks, instead of sleeping.
 */
export async function mailSettled(): Promise<void> {
  const marker = mailJob({ template: 'welcome', to: `settled.${crypto.randomUUID().slice(0, 8)}@example.com`, data: { first_name: 'Marker' } });
  await env.MAIL_QUEUE.send(marker, { contentType: 'json' });
  await waitForMail(marker.to);
}

/** The first 6-digit code in a text, e.g. a verification or sign-in code. */
export function extractCode(text: string): string {
  const code = /(?<!\d)\d{6}(?!\d)/.exec(text)?.[0];
  if (!code) throw new Error('no 6-digit code in the mail text');
  return code;
}

function matches(mail: DevMail, opts: WaitForMailOptions): boolean {
  if (opts.subject && !opts.subject.test(mail.subject)) return false;
  if (opts.newerThan && !(mail.created_at > opts.newerThan)) return false;
  return opts.predicate ? opts.predicate(mail) : true;
}

function mailboxUrl(to: string): string {
  return `https://gatehouse.test/dev/mailbox?to=${encodeURIComponent(to)}`;
}

function describe(opts: WaitForMailOptions): string {
  return [opts.subject && `subject ${opts.subject}`, opts.newerThan && `newer than ${opts.newerThan}`, opts.predicate && 'predicate']
    .filter(Boolean)
    .join(', ') || 'anything';
}

/** A mail job as enqueueMail would put it on the queue, for tests of the consumer. */
export function mailJob(overrides: Partial<MailJob> = {}): MailJob {
  return {
    id: crypto.randomUUID(),
    template: 'login_code',
    to: `mail.${crypto.randomUUID().slice(0, 8)}@example.com`,
    user_id: null,
    data: { code: '424242', minutes: 10 },
    created_at: Date.now(),
    ...overrides,
  } as MailJob;
}

/**
 * Runs the Worker's queue() handler on one hand-built batch, as the queue would.
 * vitest-plugin 1.5's getQueueResult drops retry({ delaySeconds }) (its retryMessages carry
 * only msgId), so the delay each message asked for is read off the call and filled in.
 */
export async function runMailBatch(
  queue: string,
  messages: { id?: string; body: unknown; attempts?: number }[],
  workerEnv: Cloudflare.Env = env,
): Promise<QueueResult> {
  const batch = createMessageBatch<MailJob>(
    queue,
    messages.map((m) => ({ id: m.id ?? crypto.randomUUID(), timestamp: new Date(), attempts: m.attempts ?? 1, body: m.body as MailJob })),
  );
  const delays = recordRetryDelays(batch);
  const ctx = createExecutionContext();
  await worker.queue(batch, workerEnv, ctx);
  const result = await getQueueResult(batch, ctx);
  const retryMessages = result.retryMessages.map((r) => ({ ...r, delaySeconds: r.delaySeconds ?? delays.get(r.msgId) }));
  return { ...result, retryMessages };
}

function recordRetryDelays(batch: MessageBatch<unknown>): Map<string, number | undefined> {
  const delays = new Map<string, number | undefined>();
  for (const message of batch.messages) {
    const retry = message.retry.bind(message);
    Object.defineProperty(message, 'retry', {
      value: (options?: QueueRetryOptions) => {
        delays.set(message.id, options?.delaySeconds);
        retry(options);
      },
    });
  }
  return delays;
}
