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
