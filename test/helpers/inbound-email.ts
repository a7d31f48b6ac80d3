import { env } from 'cloudflare:workers';
import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test';
import worker from '../../src/index';

export interface Delivered {
  /** The reasons given to setReject, in order; empty when the message was accepted. */
  rejections: string[];
}

/**
 * Hands a raw message to the Worker's email() handler the way Email Routing does: a
 * ForwardableEmailMessage whose `raw` is a stream, with setReject recorded.
 */
export async function deliverInbound(
  raw: string | Uint8Array,
  options: { from?: string; to?: string; rawSize?: number; workerEnv?: Cloudflare.Env } = {},
): Promise<Delivered> {
  const bytes = typeof raw === 'string' ? new TextEncoder().encode(raw) : raw;
  const rejections: string[] = [];
  const message = {
    from: options.from ?? 'MAILER-DAEMON@mx.example.net',
    to: options.to ?? 'bounces@gatehouse.localhost',
    headers: new Headers(),
    raw: new Response(bytes).body!,
    rawSize: options.rawSize ?? bytes.byteLength,
    setReject: (reason: string) => void rejections.push(reason),
    forward: () => Promise.reject(new Error('email() must not forward')),
    reply: () => Promise.reject(new Error('email() must not reply')),
  } as unknown as ForwardableEmailMessage;
  const ctx = createExecutionContext();
  await worker.email(message, options.workerEnv ?? env, ctx);
  await waitOnExecutionContext(ctx);
  return { rejections };
}

/** The Message-ID (before the @) each bounce fixture's returned message carries. */
const FIXTURE_MESSAGE_ID = /Message-ID: <([0-9a-f-]{36})@gatehouse\.localhost>/i;

export interface SeededReport {
  /** The fixture, about `email`, its returned message carrying a fresh Message-ID. */
  raw: string;
  /** That Message-ID, as the Message-ID header has it. */
  messageId: string;
}

/**
 * Points a fixture (about ada@example.com) at `email` and gives its returned message a
 * fresh Message-ID, which mail_deliveries records as sent to `sentTo` (by default
 * `email`; null: recorded nowhere), as the mail consumer does for what it sends.
 */
export async function reportAbout(fixture: string, email: string, sentTo: string | null = email): Promise<SeededReport> {
  const original = FIXTURE_MESSAGE_ID.exec(fixture)?.[1];
  if (!original) throw new Error('the fixture has no returned Message-ID');
  const fresh = crypto.randomUUID();
  const messageId = `<${fresh}@gatehouse.localhost>`;
  if (sentTo !== null) await seedDelivery(sentTo, messageId);
  return { raw: fixture.replaceAll('ada@example.com', email).replaceAll(original, fresh), messageId };
}

/** A mail_deliveries row as recordDelivery writes it. */
export async function seedDelivery(recipient: string, messageId: string, template = 'login_code'): Promise<void> {
  await env.DB.prepare(
    'INSERT INTO mail_deliveries (message_id, template, transport, sent_at, recipient, mime_message_id) VALUES (?, ?, ?, ?, ?, ?)',
  )
    .bind(crypto.randomUUID(), template, 'dev', Date.now(), recipient.toLowerCase(), messageId.replace(/^<|>$/g, '').toLowerCase())
    .run();
}
