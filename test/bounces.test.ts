/// <reference types="vite/client" />
import { env } from 'cloudflare:workers';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { setClock } from '../src/clock';
import { MAX_INBOUND_BYTES } from '../src/mail/bounces';
import { deliverInbound, reportAbout, seedDelivery } from './helpers/inbound-email';
import { createVerifiedUser } from './helpers/users';
import { uniqueEmail } from './helpers/api';
import postfixBounce from './fixtures/bounces/postfix-hard-bounce.eml?raw';
import gmailBounce from './fixtures/bounces/gmail-hard-bounce.eml?raw';
import delayedNotice from './fixtures/bounces/delayed-notice.eml?raw';
import complaintArf from './fixtures/bounces/complaint-arf.eml?raw';
import complaintRedacted from './fixtures/bounces/complaint-redacted.eml?raw';
import missingRecipient from './fixtures/bounces/missing-recipient.eml?raw';
import notABounce from './fixtures/bounces/not-a-bounce.eml?raw';
import forgedNoOriginal from './fixtures/bounces/forged-no-original.eml?raw';

/**
 * The fixtures are about ada@example.com; each test points them at its own account and
 * records the returned message as one we sent to that account (reportAbout).
 */
const about = async (fixture: string, email: string) => (await reportAbout(fixture, email)).raw;

const suppressionOf = (email: string) =>
  env.DB.prepare('SELECT email, kind, reason, diagnostic, created_at FROM mail_suppressions WHERE email = ?').bind(email).first<Record<string, unknown>>();

const suppressedEvents = (userId: string) =>
  env.DB.prepare("SELECT user_id, severity, metadata FROM audit_events WHERE type = 'mail_suppressed' AND user_id = ?").bind(userId).all();

/** Every log line written while `run` runs, as text. */
async function logsOf(run: () => Promise<unknown>): Promise<string> {
  const lines: string[] = [];
  for (const level of ['log', 'warn', 'error'] as const) vi.spyOn(console, level).mockImplementation((line: unknown) => void lines.push(String(line)));
  await run();
  vi.restoreAllMocks();
  return lines.join('\n');
}

afterEach(() => {
  setClock(null);
  vi.restoreAllMocks();
});

describe('email(): hard bounces', () => {
  it('marks the failed recipient of a Postfix bounce undeliverable, with reason, diagnostic and time', async () => {
    const user = await createVerifiedUser();
    setClock({ now: () => Date.UTC(2026, 8, 1, 12, 0, 5) });
    const { rejections } = await deliverInbound(await about(postfixBounce, user.email));
    expect(rejections).toEqual([]);
    expect(await suppressionOf(user.email)).toEqual({
      email: user.email,
      kind: 'bounce',
      reason: 'hard bounce (5.1.1)',
      diagnostic: `smtp; 550 5.1.1 <${user.email}>: Recipient address rejected: User unknown in virtual mailbox table`,
      created_at: Date.UTC(2026, 8, 1, 12, 0, 5),
    });
    const events = await suppressedEvents(user.id);
    expect(events.results).toEqual([{ user_id: user.id, severity: 'medium', metadata: JSON.stringify({ kind: 'bounce', reason: 'hard bounce (5.1.1)' }) }]);
  });

  it('handles a Gmail bounce the same way', async () => {
    const user = await createVerifiedUser();
    expect((await deliverInbound(await about(gmailBounce, user.email), { from: 'mailer-daemon@googlemail.com' })).rejections).toEqual([]);
    expect(await suppressionOf(user.email)).toMatchObject({ kind: 'bounce', reason: 'hard bounce (5.1.1)' });
  });

  it('matches the address case-insensitively', async () => {
    const user = await createVerifiedUser();
    const { raw } = await reportAbout(postfixBounce, user.email.toUpperCase(), user.email);
    await deliverInbound(raw);
    expect(await suppressionOf(user.email)).toMatchObject({ kind: 'bounce' });
  });

  it('is idempotent: the same bounce twice keeps one row, its first time and one audit event', async () => {
    const user = await createVerifiedUser();
    setClock({ now: () => Date.UTC(2026, 8, 1, 12, 0, 0) });
    await deliverInbound(await about(postfixBounce, user.email));
    setClock({ now: () => Date.UTC(2026, 8, 1, 13, 0, 0) });
    await deliverInbound(await about(gmailBounce, user.email));
    expect(await suppressionOf(user.email)).toMatchObject({ created_at: Date.UTC(2026, 8, 1, 12, 0, 0) });
    expect((await suppressedEvents(user.id)).results).toHaveLength(1);
  });

  it('never logs the full address or the diagnostic', async () => {
    const user = await createVerifiedUser();
    const raw = await about(postfixBounce, user.email);
    const logs = await logsOf(() => deliverInbound(raw));
    expect(logs).toContain('"outcome":"suppressed"');
    expect(logs).toContain('"status":"5.1.1"');
    expect(logs).not.toContain(user.email);
    expect(logs).not.toContain('User unknown');
  });
});

describe('email(): complaints', () => {
  it('marks the recipient of an ARF abuse report', async () => {
    const user = await createVerifiedUser();
    expect((await deliverInbound(await about(complaintArf, user.email), { from: 'feedbackloop@fbl.example.org' })).rejections).toEqual([]);
    expect(await suppressionOf(user.email)).toMatchObject({ kind: 'complaint', reason: 'complaint (abuse)', diagnostic: 'ExampleFBL/1.0' });
  });

  it('uses the returned message To when Original-Rcpt-To is redacted', async () => {
    const user = await createVerifiedUser();
    await deliverInbound(await about(complaintRedacted, user.email));
    expect(await suppressionOf(user.email)).toMatchObject({ kind: 'complaint', reason: 'complaint (abuse)' });
  });

  it('a complaint turns an earlier bounce into a complaint', async () => {
    const user = await createVerifiedUser();
    await deliverInbound(await about(postfixBounce, user.email));
    await deliverInbound(await about(complaintArf, user.email));
    expect(await suppressionOf(user.email)).toMatchObject({ kind: 'complaint', reason: 'complaint (abuse)' });
  });

  it('ignores feedback that is not a complaint (not-spam)', async () => {
    const user = await createVerifiedUser();
    const { rejections } = await deliverInbound((await about(complaintArf, user.email)).replace('Feedback-Type: abuse', 'Feedback-Type: not-spam'));
    expect(rejections).toEqual([]);
    expect(await suppressionOf(user.email)).toBeNull();
  });
});

describe('email(): what must not suppress', () => {
  it('a delayed (4.x.x) notice is accepted and ignored', async () => {
    const user = await createVerifiedUser();
    const raw = await about(delayedNotice, user.email);
    const logs = await logsOf(async () => expect((await deliverInbound(raw)).rejections).toEqual([]));
    expect(await suppressionOf(user.email)).toBeNull();
    expect(logs).toContain('"outcome":"transient"');
  });

  it('a failure with a 4.x.x status (retries ran out) is ignored', async () => {
    const user = await createVerifiedUser();
    await deliverInbound((await about(postfixBounce, user.email)).replaceAll('Status: 5.1.1', 'Status: 4.4.7'));
    expect(await suppressionOf(user.email)).toBeNull();
  });

  it('a report without a recipient is accepted, ignored and logged', async () => {
    const logs = await logsOf(async () => expect((await deliverInbound(missingRecipient)).rejections).toEqual([]));
    expect(logs).toContain('"outcome":"no_recipient"');
    expect(await env.DB.prepare('SELECT COUNT(*) AS n FROM mail_suppressions WHERE email LIKE ?').bind('%broken-mta%').first('n')).toBe(0);
  });

  it('a bounce for an address with no account changes nothing, even about mail we sent it', async () => {
    const stranger = uniqueEmail('stranger');
    const raw = await about(postfixBounce, stranger);
    const logs = await logsOf(() => deliverInbound(raw));
    expect(await suppressionOf(stranger)).toBeNull();
    expect(logs).toContain('"outcome":"unknown_recipient"');
  });

  it('a bounce about mail someone else sent (forged report) changes nothing', async () => {
    const user = await createVerifiedUser();
    const forged = (await about(postfixBounce, user.email)).replace('From: Gatehouse <no-reply@gatehouse.localhost>', 'From: Shop <news@shop.example>');
    const logs = await logsOf(() => deliverInbound(forged));
    expect(await suppressionOf(user.email)).toBeNull();
    expect(logs).toContain('"outcome":"not_our_mail"');
  });

  it('a forged report with no returned message changes nothing, even for an address we mail (finding 4)', async () => {
    const user = await createVerifiedUser();
    await seedDelivery(user.email, `<${crypto.randomUUID()}@gatehouse.localhost>`);
    const logs = await logsOf(async () => expect((await deliverInbound(forgedNoOriginal.replaceAll('ada@example.com', user.email))).rejections).toEqual([]));
    expect(await suppressionOf(user.email)).toBeNull();
    expect(logs).toContain('"outcome":"no_returned_message"');
    expect((await suppressedEvents(user.id)).results).toEqual([]);
  });

  it('returned headers without a Message-ID change nothing', async () => {
    const user = await createVerifiedUser();
    const { raw, messageId } = await reportAbout(postfixBounce, user.email);
    const logs = await logsOf(() => deliverInbound(raw.replace(`Message-ID: ${messageId}\n`, '')));
    expect(await suppressionOf(user.email)).toBeNull();
    expect(logs).toContain('"outcome":"no_returned_message"');
  });

  it('a bounce naming an address we never sent that message to changes nothing', async () => {
    const user = await createVerifiedUser();
    const { raw } = await reportAbout(postfixBounce, user.email, null);
    const logs = await logsOf(() => deliverInbound(raw));
    expect(await suppressionOf(user.email)).toBeNull();
    expect(logs).toContain('"outcome":"not_our_mail"');
  });

  it('a real Message-ID of ours, sent to another address, suppresses neither (bounce and complaint)', async () => {
    const [victim, other] = [await createVerifiedUser(), await createVerifiedUser()];
    for (const fixture of [postfixBounce, gmailBounce, complaintArf, complaintRedacted]) {
      const { raw } = await reportAbout(fixture, victim.email, other.email);
      const logs = await logsOf(() => deliverInbound(raw));
      expect(logs).toContain('"outcome":"other_recipient"');
    }
    expect(await suppressionOf(victim.email)).toBeNull();
    expect(await suppressionOf(other.email)).toBeNull();
  });

  it('a message that is not a report is rejected with a reason', async () => {
    const logs = await logsOf(async () =>
      expect((await deliverInbound(notABounce, { from: 'ada@example.com' })).rejections).toEqual([
        'This address only accepts delivery status notifications and feedback reports',
      ]),
    );
    expect(logs).toContain('"outcome":"not_a_report"');
    expect(await suppressionOf('ada@example.com')).toBeNull();
  });

  it('garbage bytes are rejected, not thrown', async () => {
    const { rejections } = await deliverInbound(crypto.getRandomValues(new Uint8Array(2048)));
    expect(rejections).toHaveLength(1);
  });

  it('an empty message is rejected', async () => {
    expect((await deliverInbound('')).rejections).toHaveLength(1);
  });

  it('a message over the size limit is rejected unread', async () => {
    const user = await createVerifiedUser();
    const { rejections } = await deliverInbound(await about(postfixBounce, user.email), { rawSize: MAX_INBOUND_BYTES + 1 });
    expect(rejections).toEqual(['Message too large for a delivery report']);
    expect(await suppressionOf(user.email)).toBeNull();
  });
});
