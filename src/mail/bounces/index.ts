import type { Env } from '../../env';
import { clock } from '../../clock';
import { getConfig } from '../../config/config';
import { createDb } from '../../db/client';
import { createLogger, maskEmail } from '../../http/log';
import { parseMailbox } from '../address';
import { describeError } from '../errors';
import { applyReport } from './apply';
import { readReport } from './report';

export { findSuppression, liftSuppression, liftSuppressionOnProof, suppressionFor } from './suppressions';

/** Bounces and complaints are a few KiB plus the returned message; ours are small. */
export const MAX_INBOUND_BYTES = 1024 * 1024;

/**
 * The Worker's email() handler, for mail arriving at the bounce address. A delivery
 * report or complaint is applied (see apply.ts) and then accepted, whatever it said: a
 * report is never answered. Anything else is rejected at SMTP time with a reason, which
 * reaches a human who wrote here by mistake and no one else (bounces have no sender).
 * Logs carry outcomes and masked addresses only.
 */
export async function handleInboundEmail(message: ForwardableEmailMessage, env: Env): Promise<void> {
  const log = createLogger({ component: 'bounces', envelope_from: maskEmail(message.from), size: message.rawSize });
  if (message.rawSize > MAX_INBOUND_BYTES) {
    log.warn('inbound mail rejected', { outcome: 'too_large' });
    return message.setReject('Message too large for a delivery report');
  }
  let report;
  try {
    report = await readReport(message.raw);
  } catch (err) {
    log.warn('inbound mail rejected', { outcome: 'unparseable', error: describeError(err) });
    return message.setReject('Message could not be parsed');
  }
  if (report.kind === 'not_a_report') {
    log.warn('inbound mail rejected', { outcome: 'not_a_report', content_type: report.contentType });
    return message.setReject('This address only accepts delivery status notifications and feedback reports');
  }
  if (report.kind === 'malformed_report') {
    log.warn('inbound report ignored', { outcome: 'malformed_report', content_type: report.contentType });
    return;
  }
  const config = getConfig(env);
  const sender = parseMailbox(config.mailFrom).address.toLowerCase();
  const outcomes = await applyReport(createDb(env.DB), report, sender, clock.now());
  for (const outcome of outcomes) log.info('inbound report applied', { report: report.kind, ...outcome, to: outcome.to && maskEmail(outcome.to) });
}
