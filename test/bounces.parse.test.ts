/// <reference types="vite/client" />
import { describe, expect, it } from 'vitest';
import PostalMime from 'postal-mime';
import { readReport } from '../src/mail/bounces/report';
import { recipientStatuses, verdictOf } from '../src/mail/bounces/delivery-status';
import { parseFeedbackReport } from '../src/mail/bounces/feedback-report';
import { MAX_ADDRESS_LENGTH, parseFieldGroups, plainAddress, typedAddress } from '../src/mail/bounces/fields';
import postfixBounce from './fixtures/bounces/postfix-hard-bounce.eml?raw';
import gmailBounce from './fixtures/bounces/gmail-hard-bounce.eml?raw';
import delayedNotice from './fixtures/bounces/delayed-notice.eml?raw';
import complaintArf from './fixtures/bounces/complaint-arf.eml?raw';
import complaintRedacted from './fixtures/bounces/complaint-redacted.eml?raw';
import missingRecipient from './fixtures/bounces/missing-recipient.eml?raw';
import notABounce from './fixtures/bounces/not-a-bounce.eml?raw';

describe('reading delivery reports (RFC 3464)', () => {
  it('finds the failed recipient, status and diagnostic of a Postfix bounce', async () => {
    const report = await readReport(postfixBounce);
    expect(report).toMatchObject({
      kind: 'delivery_status',
      recipients: [{ address: 'ada@example.com', action: 'failed', status: '5.1.1' }],
      original: { from: 'no-reply@gatehouse.localhost', to: ['ada@example.com'] },
    });
    if (report.kind !== 'delivery_status') throw new Error('unreachable');
    // The folded Diagnostic-Code is one line.
    expect(report.recipients[0]!.diagnostic).toBe(
      'smtp; 550 5.1.1 <ada@example.com>: Recipient address rejected: User unknown in virtual mailbox table',
    );
  });

  it('reads a Gmail bounce (nested multipart text, message/rfc822 original)', async () => {
    const report = await readReport(gmailBounce);
    expect(report).toMatchObject({
      kind: 'delivery_status',
      recipients: [{ address: 'ada@example.com', action: 'failed', status: '5.1.1' }],
      original: { from: 'no-reply@gatehouse.localhost', to: ['ada@example.com'] },
    });
    if (report.kind !== 'delivery_status') throw new Error('unreachable');
    expect(report.recipients[0]!.diagnostic).toMatch(/^smtp; 550-5\.1\.1 The email account that you tried to reach does not exist\./);
    expect(report.recipients[0]!.diagnostic).not.toContain('\n');
  });

  it('reads a delay notice as a delivery report with action delayed', async () => {
    const report = await readReport(delayedNotice);
    expect(report).toMatchObject({ kind: 'delivery_status', recipients: [{ address: 'ada@example.com', action: 'delayed', status: '4.4.7' }] });
  });

  it('keeps a failed group without a recipient, as one with no address', async () => {
    const report = await readReport(missingRecipient);
    expect(report).toMatchObject({ kind: 'delivery_status', recipients: [{ address: null, action: 'failed', status: '5.0.0' }] });
    if (report.kind !== 'delivery_status') throw new Error('unreachable');
    expect(verdictOf(report.recipients[0]!)).toBe('no_recipient');
  });

  it('calls a delivery-status part with no recipient group malformed', async () => {
    const onlyPerMessage = missingRecipient.replace('Action: failed\nStatus: 5.0.0\n', '');
    expect(onlyPerMessage).not.toContain('Action:');
    expect(await readReport(onlyPerMessage)).toEqual({ kind: 'malformed_report', contentType: 'multipart/report' });
  });

  it('calls a human message not a report', async () => {
    expect(await readReport(notABounce)).toEqual({ kind: 'not_a_report', contentType: 'text/plain' });
  });

  it('calls random bytes not a report rather than throwing', async () => {
    const garbage = crypto.getRandomValues(new Uint8Array(4096));
    expect((await readReport(garbage)).kind).toBe('not_a_report');
  });

  it('reads a stream, as email() receives it', async () => {
    const report = await readReport(new Response(postfixBounce).body!);
    expect(report.kind).toBe('delivery_status');
  });
});

describe("postal-mime's HTML entities: the bundle's short table (wrangler.toml [alias], vitest too)", () => {
  it('reads a bounce whose human part is HTML full of named entities like any other', async () => {
    const html = '<p>Caf&eacute; &mdash; d&eacute;livr&eacute; &amp; &lt;refus&eacute;&gt;</p>';
    const withHtml = postfixBounce.replace(/Content-Type: text\/plain[^\n]*\n/i, (line) => line.replace(/text\/plain/i, 'text/html')).replace('The mail system', html);
    expect(withHtml).not.toBe(postfixBounce);
    expect(await readReport(withHtml)).toEqual(await readReport(postfixBounce));
  });

  it('decodes the common entities in email.text and leaves the rare ones as written (no answer reads email.text)', async () => {
    const raw = 'Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\nplain\r\n--b\r\nContent-Type: text/html\r\n\r\n<p>caf&eacute; &amp; &#233;</p>\r\n--b--\r\n';
    expect((await PostalMime.parse(raw)).text).toBe('plain\n\n\ncaf&eacute; & é\n');
  });
});

describe('reading complaints (RFC 5965)', () => {
  it('finds the complaining recipient and feedback type', async () => {
    expect(await readReport(complaintArf)).toMatchObject({
      kind: 'feedback',
      report: { feedbackType: 'abuse', recipients: ['ada@example.com'], reporter: 'ExampleFBL/1.0' },
      original: { from: 'no-reply@gatehouse.localhost', to: ['ada@example.com'] },
    });
  });

  it('keeps the original To when the provider redacted Original-Rcpt-To', async () => {
    expect(await readReport(complaintRedacted)).toMatchObject({
      kind: 'feedback',
      report: { feedbackType: 'abuse', recipients: [] },
      original: { to: ['ada@example.com'] },
    });
  });

  it('is null without a Feedback-Type', () => {
    expect(parseFeedbackReport('User-Agent: x\nVersion: 1\n')).toBeNull();
  });
});

describe('per-recipient verdicts', () => {
  const statusOf = (fields: string) => recipientStatuses(`Reporting-MTA: dns; mx.example.net\n\n${fields}`);

  it.each([
    ['Final-Recipient: rfc822; a@example.com\nAction: failed\nStatus: 5.2.1', 'hard_bounce'],
    ['Final-Recipient: rfc822; a@example.com\nAction: Failed\nStatus: 5.0.0 (permanent failure)', 'hard_bounce'],
    ['Final-Recipient: rfc822; a@example.com\nAction: failed\nStatus: 4.4.7', 'transient'],
    ['Final-Recipient: rfc822; a@example.com\nAction: failed', 'transient'],
    ['Final-Recipient: rfc822; a@example.com\nAction: delayed\nStatus: 4.2.2', 'transient'],
    ['Final-Recipient: rfc822; a@example.com\nAction: delivered\nStatus: 2.0.0', 'not_a_failure'],
    ['Final-Recipient: x400; /C=US/O=Example/\nAction: failed\nStatus: 5.1.1', 'no_recipient'],
    ['Final-Recipient: rfc822; not an address\nAction: failed\nStatus: 5.1.1', 'no_recipient'],
  ])('%j -> %s', (fields, verdict) => {
    const [recipient] = statusOf(fields);
    expect(verdictOf(recipient!)).toBe(verdict);
  });

  it('falls back to Original-Recipient and reads every recipient group', () => {
    const recipients = statusOf(
      'Original-Recipient: rfc822;B@Example.com\nAction: failed\nStatus: 5.1.1\n\nFinal-Recipient: rfc822; c@example.com\nAction: delayed\nStatus: 4.4.1',
    );
    expect(recipients.map((r) => [r.address, verdictOf(r)])).toEqual([
      ['b@example.com', 'hard_bounce'],
      ['c@example.com', 'transient'],
    ]);
  });

  it('normalizes typed addresses', () => {
    expect(typedAddress('rfc822; <Ada@Example.COM>')).toBe('ada@example.com');
    expect(typedAddress('rfc822;ada@example.com')).toBe('ada@example.com');
    expect(typedAddress('utf-8; ada@example.com')).toBe('ada@example.com');
    expect(typedAddress('x400; ada@example.com')).toBeNull();
    expect(typedAddress('rfc822; a@example.com, b@example.com')).toBeNull();
    expect(typedAddress(undefined)).toBeNull();
  });
});

describe('address parsing: bounded and linear (finding 6)', () => {
  /** A loose guard only: the parser is one pass over at most 254 characters by construction. */
  const GUARD_MS = 500;
  const timed = <T>(run: () => T): { result: T; ms: number } => {
    const started = performance.now();
    const result = run();
    return { result, ms: performance.now() - started };
  };

  it.each([
    ['63,000 dots after the @', `a@${'.'.repeat(63_000)}`],
    ['63,000 dots and a final letter', `a@${'.'.repeat(63_000)}x`],
    ['63,000 dots and a second @ (3.8 s with the old pattern)', `a@${'.'.repeat(63_000)}@`],
    ['63,000 dots and a closing bracket', `a@${'.'.repeat(63_000)}>`],
    ['63,000 dots, a space and a letter', `a@${'.'.repeat(63_000)} x`],
    ['a 63,000-letter domain without a dot', `a@${'a'.repeat(63_000)}`],
    ['63,000 @ signs', '@'.repeat(63_000)],
    ['a 63,000-letter local part', `${'a'.repeat(63_000)}@example.com`],
    ['nested brackets', `${'<'.repeat(30_000)}a@b.c${'>'.repeat(30_000)}`],
    ['63,000 spaces between the parts', `a${' '.repeat(63_000)}@b.c`],
  ])('%s: refused, fast', (_name, input) => {
    const { result, ms } = timed(() => plainAddress(input));
    expect(result).toBeNull();
    expect(ms).toBeLessThan(GUARD_MS);
    const typed = timed(() => typedAddress(`rfc822; ${input}`));
    expect(typed.result).toBeNull();
    expect(typed.ms).toBeLessThan(GUARD_MS);
  });

  it('a whole report of pathological fields parses quickly and yields no address', () => {
    const field = `Final-Recipient: rfc822; a@${'.'.repeat(63_000)}@\nAction: failed\nStatus: 5.1.1`;
    const { result, ms } = timed(() => recipientStatuses(`Reporting-MTA: dns; x\n\n${field}`));
    expect(result.map((r) => [r.address, verdictOf(r)])).toEqual([[null, 'no_recipient']]);
    expect(ms).toBeLessThan(GUARD_MS);
    expect(parseFieldGroups(field)).toHaveLength(1);
  });

  it('refuses an address over 254 characters and takes one of exactly 254', () => {
    const local = 'a'.repeat(64);
    const domainOf = (length: number) => `${'b'.repeat(length - 4)}.com`;
    const exact = `${local}@${domainOf(MAX_ADDRESS_LENGTH - 65)}`;
    expect(exact).toHaveLength(254);
    expect(plainAddress(exact)).toBe(exact);
    expect(plainAddress(`${local}@${domainOf(MAX_ADDRESS_LENGTH - 64)}`)).toBeNull();
  });

  it.each([
    ['<Ada@Example.COM>', 'ada@example.com'],
    ['  ada@example.com  ', 'ada@example.com'],
    ['< ada@example.com >', 'ada@example.com'],
    ['ada@mail.example.com', 'ada@mail.example.com'],
    ['ada@a..b', 'ada@a..b'],
    ['ada@example', null],
    ['ada@.com', null],
    ['ada@example.', null],
    ['@example.com', null],
    ['ada@@example.com', null],
    ['a@b@example.com', null],
    ['ada lovelace@example.com', null],
    ['ada@exa mple.com', null],
    ['"ada"@example.com', null],
    ['ada@example.com, bob@example.com', null],
    ['<ada@example.com', null],
    ['ada@[192.0.2.1]', null],
    ['', null],
  ])('%j -> %j (the same answers as the old pattern)', (input, expected) => {
    expect(plainAddress(input)).toBe(expected);
  });
});
