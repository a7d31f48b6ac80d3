/** A mail job as it travels through the queue. Rendering happens in the consumer. */
export interface MailTemplates {
  verify_email: { code: string; link: string; code_minutes: number; link_hours: number };
  welcome: { first_name: string };
  account_exists: { reset_hint: string };
}

export type MailTemplate = keyof MailTemplates;

export type MailJob = {
  [T in MailTemplate]: {
    /** Unique per job: the idempotency key of the consumer. */
    id: string;
    template: T;
    to: string;
    user_id: string | null;
    data: MailTemplates[T];
    created_at: number;
  };
}[MailTemplate];
