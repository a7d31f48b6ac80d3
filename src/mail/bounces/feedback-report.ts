import { field, parseFieldGroups, plainAddress, typedAddress } from './fields';

/** A complaint (RFC 5965 feedback report): who complained, and about what kind of thing. */
export interface FeedbackReport {
  /** Feedback-Type, lower case: "abuse", "fraud", "virus", "other", "not-spam", "auth-failure"… */
  feedbackType: string;
  /** Original-Rcpt-To addresses, normalized (often redacted by the mailbox provider). */
  recipients: string[];
  /** The reporter's User-Agent field, for the admin view. */
  reporter: string;
}

/** Feedback types that mean "the recipient does not want this mail". */
export const COMPLAINT_TYPES = new Set(['abuse', 'fraud']);

export function parseFeedbackReport(text: string): FeedbackReport | null {
  const [group] = parseFieldGroups(text);
  const feedbackType = group && field(group, 'feedback-type')?.toLowerCase();
  if (!group || !feedbackType) return null;
  const recipients = (group.get('original-rcpt-to') ?? [])
    .map((value) => (value.includes(';') ? typedAddress(value) : plainAddress(value)))
    .filter((address): address is string => address !== null);
  return { feedbackType, recipients: [...new Set(recipients)], reporter: (field(group, 'user-agent') ?? '').slice(0, 200) };
}
