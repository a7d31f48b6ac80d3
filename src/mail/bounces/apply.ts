import { eq } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { users } from '../../db/schema';
import { verdictOf } from './delivery-status';
import { COMPLAINT_TYPES } from './feedback-report';
import type { InboundReport, OriginalHeaders } from './report';
import { suppressAddress, type Suppression } from './suppressions';
import { findDeliveryByMessageId } from '../records';

export type Outcome =
  | 'suppressed'
  | 'already_suppressed'
  | 'transient'
  | 'not_a_failure'
  | 'no_recipient'
  | 'unknown_recipient'
  /** No returned message (or headers) with a Message-ID: nothing ties the report to our mail. */
  | 'no_returned_message'
  /** The returned message is not one we sent (unknown Message-ID, or another sender's From). */
  | 'not_our_mail'
  /** We sent that message, but to another address than the one the report names. */
  | 'other_recipient'
  | 'not_a_complaint';

/** What happened to one recipient of a report; `to` is masked before it is logged. */
export interface AppliedOutcome {
  outcome: Outcome;
  to: string | null;
  status?: string;
  feedback_type?: string;
}

type ToSuppress = { outcome: 'candidate'; to: string; suppression: Omit<Suppression, 'userId'>; status?: string; feedback_type?: string };
type Candidate = ToSuppress | AppliedOutcome;

/**
 * Suppresses each permanently failed or complaining recipient of a parsed report.
 * Reports can be forged by anyone who can send mail here, so one counts only when it
 * proves it is about a message we sent to that address: the returned message (or its
 * headers) carries a Message-ID that mail_deliveries recorded for exactly that
 * recipient. Our Message-IDs are random and only the recipient's mail system sees them.
 * The address must also still be an account's (admins and codes lift suppressions per
 * account). Everything else changes nothing and is only logged.
 */
export async function applyReport(db: Db, report: Exclude<InboundReport, { kind: 'not_a_report' | 'malformed_report' }>, sender: string, now: number): Promise<AppliedOutcome[]> {
  const candidates = report.kind === 'delivery_status' ? bounceCandidates(report) : complaintCandidates(report);
  if (!fromUs(report.original, sender)) return candidates.map((c) => ({ outcome: 'not_our_mail', to: c.to }));
  const outcomes: AppliedOutcome[] = [];
  for (const candidate of candidates) outcomes.push(candidate.outcome === 'candidate' ? await suppressMatching(db, candidate, report.original, now) : candidate);
  return outcomes;
}

function bounceCandidates(report: Extract<InboundReport, { kind: 'delivery_status' }>): Candidate[] {
  return report.recipients.map((r) => {
    const verdict = verdictOf(r);
    if (verdict !== 'hard_bounce') return { outcome: verdict, to: r.address, status: r.status };
    const address = r.address!;
    const suppression = { email: address, kind: 'bounce' as const, reason: `hard bounce (${r.status})`, diagnostic: r.diagnostic };
    return { outcome: 'candidate', suppression, to: address, status: r.status };
  });
}

/** Providers often redact Original-Rcpt-To; then the returned message's single To names the complainer. */
function complaintCandidates(report: Extract<InboundReport, { kind: 'feedback' }>): Candidate[] {
  const { feedbackType, recipients, reporter } = report.report;
  const addresses = recipients.length ? recipients : report.original?.to.length === 1 ? report.original.to : [];
  if (addresses.length === 0) return [{ outcome: 'no_recipient', to: null, feedback_type: feedbackType }];
  return addresses.map((address) => {
    if (!COMPLAINT_TYPES.has(feedbackType)) return { outcome: 'not_a_complaint', to: address, feedback_type: feedbackType };
    const suppression = { email: address, kind: 'complaint' as const, reason: `complaint (${feedbackType})`, diagnostic: reporter };
    return { outcome: 'candidate', suppression, to: address, feedback_type: feedbackType };
  });
}

function fromUs(original: OriginalHeaders | null, sender: string): boolean {
  return !original?.from || original.from === sender;
}

async function suppressMatching(db: Db, candidate: ToSuppress, original: OriginalHeaders | null, now: number): Promise<AppliedOutcome> {
  const { suppression, status, feedback_type } = candidate;
  const facts = { to: suppression.email, ...(status && { status }), ...(feedback_type && { feedback_type }) };
  if (!original?.messageId) return { outcome: 'no_returned_message', ...facts };
  const delivery = await findDeliveryByMessageId(db, original.messageId);
  if (!delivery) return { outcome: 'not_our_mail', ...facts };
  if (delivery.recipient !== suppression.email) return { outcome: 'other_recipient', ...facts };
  const account = await db.select({ id: users.id }).from(users).where(eq(users.email, suppression.email)).get();
  if (!account) return { outcome: 'unknown_recipient', ...facts };
  const fresh = await suppressAddress(db, { ...suppression, userId: account.id }, now);
  return { outcome: fresh ? 'suppressed' : 'already_suppressed', ...facts };
}
