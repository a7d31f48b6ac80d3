import PostalMime, { type Attachment, type Email } from 'postal-mime';
import { recipientStatuses, type RecipientStatus } from './delivery-status';
import { parseFeedbackReport, type FeedbackReport } from './feedback-report';
import { plainAddress } from './fields';
import { normalizeMessageId } from '../records';

/** What an inbound message turned out to be. */
export type InboundReport =
  | { kind: 'delivery_status'; recipients: RecipientStatus[]; original: OriginalHeaders | null }
  | { kind: 'feedback'; report: FeedbackReport; original: OriginalHeaders | null }
  | { kind: 'not_a_report'; contentType: string }
  | { kind: 'malformed_report'; contentType: string };

/** From, To and Message-ID of the message the report is about, when the report carries its headers. */
export interface OriginalHeaders {
  from: string | null;
  to: string[];
  /** Normalized (no angle brackets, lower case); null when missing or implausibly long. */
  messageId: string | null;
}

const DELIVERY_STATUS_TYPES = ['message/delivery-status', 'message/global-delivery-status'];
const FEEDBACK_TYPE = 'message/feedback-report';
const ORIGINAL_TYPES = ['message/rfc822', 'text/rfc822-headers', 'message/global', 'message/global-headers'];
/** Only the header block of the returned message is read. */
const MAX_ORIGINAL_HEADERS = 32 * 1024;
/** Ours are "<uuid@domain>"; anything much longer is not one of ours. */
const MAX_MESSAGE_ID = 300;

/**
 * Parses a raw inbound message with postal-mime and classifies it by its parts: a
 * message/delivery-status part makes it a bounce (RFC 3464), a message/feedback-report
 * part a complaint (RFC 5965). Reports in the wild do not always say report-type
 * correctly, so the parts decide, not the top-level header. Throws on unreadable input.
 */
export async function readReport(raw: ReadableStream<Uint8Array> | string | Uint8Array): Promise<InboundReport> {
  const email = await PostalMime.parse(raw, { attachmentEncoding: 'utf8', maxNestingDepth: 20 });
  const contentType = mimeTypeOf(email);
  const status = partOf(email, DELIVERY_STATUS_TYPES);
  const feedback = partOf(email, [FEEDBACK_TYPE]);
  if (!status && !feedback) return { kind: 'not_a_report', contentType };
  const original = await originalHeaders(email);
  if (status) {
    const recipients = recipientStatuses(textOf(status));
    return recipients.length ? { kind: 'delivery_status', recipients, original } : { kind: 'malformed_report', contentType };
  }
  const report = parseFeedbackReport(textOf(feedback!));
  return report ? { kind: 'feedback', report, original } : { kind: 'malformed_report', contentType };
}

function partOf(email: Email, types: string[]): Attachment | undefined {
  return email.attachments.find((a) => types.includes(a.mimeType));
}

function textOf(part: Attachment): string {
  return typeof part.content === 'string' ? part.content : new TextDecoder().decode(part.content);
}

/** The top-level media type only (no parameters), for logs. */
function mimeTypeOf(email: Email): string {
  const value = email.headers.find((h) => h.key === 'content-type')?.value ?? 'text/plain';
  return value.split(';')[0]!.trim().toLowerCase().slice(0, 100);
}

async function originalHeaders(email: Email): Promise<OriginalHeaders | null> {
  const part = partOf(email, ORIGINAL_TYPES);
  if (!part) return null;
  const text = textOf(part);
  const end = text.search(/\r?\n\r?\n/);
  const headers = (end < 0 ? text : text.slice(0, end)).slice(0, MAX_ORIGINAL_HEADERS);
  const parsed = await PostalMime.parse(`${headers}\r\n\r\n`);
  const from = parsed.from?.address ? plainAddress(parsed.from.address) : null;
  const to = (parsed.to ?? []).flatMap((a) => (a.address ? [a.address] : (a.group ?? []).map((m) => m.address)));
  const messageId = parsed.messageId && parsed.messageId.length <= MAX_MESSAGE_ID ? normalizeMessageId(parsed.messageId) : null;
  return { from, to: to.map(plainAddress).filter((a): a is string => a !== null), messageId: messageId || null };
}
