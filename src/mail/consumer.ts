import type { Env } from '../env';
import type { MailJob } from './types';

export const DEAD_LETTER_QUEUE = '-dlq';

export async function handleMailBatch(batch: MessageBatch<MailJob>, env: Env, ctx: ExecutionContext): Promise<void> {
  for (const m of batch.messages) m.ack();
  void env;
  void ctx;
}

export async function handleDeadLetters(batch: MessageBatch<MailJob>, env: Env): Promise<void> {
  for (const m of batch.messages) m.ack();
  void env;
}
