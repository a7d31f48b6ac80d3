import { field, parseFieldGroups, typedAddress } from './fields';

/** One per-recipient group of a delivery-status notification. */
export interface RecipientStatus {
  /** Final-Recipient (else Original-Recipient), normalized; null when missing or unusable. */
  address: string | null;
  /** "failed", "delayed", "delivered", "relayed", "expanded" (lower case) or "". */
  action: string;
  /** The enhanced status code (RFC 3463), e.g. "5.1.1", or "". */
  status: string;
  /** The remote server's words (Diagnostic-Code), trimmed; stored, never logged. */
  diagnostic: string;
}

export type Verdict = 'hard_bounce' | 'transient' | 'not_a_failure' | 'no_recipient';

const MAX_RECIPIENTS = 10;
const MAX_DIAGNOSTIC = 500;

/** The per-recipient groups of a message/delivery-status body (the per-message group has none of these fields). */
export function recipientStatuses(text: string): RecipientStatus[] {
  return parseFieldGroups(text)
    .filter((g) => g.has('final-recipient') || g.has('original-recipient') || g.has('action'))
    .slice(0, MAX_RECIPIENTS)
    .map((g) => ({
      address: typedAddress(field(g, 'final-recipient')) ?? typedAddress(field(g, 'original-recipient')),
      action: (field(g, 'action') ?? '').toLowerCase(),
      status: /^[245]\.\d{1,3}\.\d{1,3}/.exec(field(g, 'status') ?? '')?.[0] ?? '',
      diagnostic: (field(g, 'diagnostic-code') ?? '').replace(/\s+/g, ' ').slice(0, MAX_DIAGNOSTIC),
    }));
}

/**
 * Only a permanent failure (Action: failed with a 5.x.x status) makes an address
 * undeliverable. A delay, a 4.x.x "failed" (time ran out while the server was away) or
 * a success says nothing lasting about the address.
 */
export function verdictOf(recipient: RecipientStatus): Verdict {
  if (!recipient.address) return 'no_recipient';
  if (recipient.action !== 'failed') return recipient.action === 'delayed' ? 'transient' : 'not_a_failure';
  return recipient.status.startsWith('5.') ? 'hard_bounce' : 'transient';
}
