import PostalMime from 'postal-mime';
import { describe, expect, it } from 'vitest';
import { buildMime, encodeQuotedPrintable } from '../src/mail/mime';
import { renderMail } from '../src/mail/templates';
import { extractCode, mailJob } from './helpers/mail';

const app = { appName: 'Gatehouse', publicUrl: 'https://accounts.example.com' };
const date = new Date('2026-09-01T12:34:56Z');

function verificationMime(overrides: { from?: string; subject?: string } = {}) {
  const job = mailJob({
    template: 'verify_email',
    to: 'alice@example.com',
    data: { code: '908172', link: 'https://accounts.example.com/api/v1/auth/verify-email?token=t0k3n', code_minutes: 10, link_hours: 24 },
  });
  const rendered = renderMail(job, app);
  return buildMime({ from: 'Gatehouse <no-reply@example.com>', to: job.to, ...rendered, ...overrides, date });
}

describe('MIME', () => {
  it('parses back with postal-mime: headers, both parts and the code', async () => {
    const { raw, messageId } = verificationMime();
    const parsed = await PostalMime.parse(raw);
    expect(parsed.from).toMatchObject({ name: 'Gatehouse', address: 'no-reply@example.com' });
    expect(parsed.to?.[0]?.address).toBe('alice@example.com');
    expect(parsed.subject).toBe('Verify your email address for Gatehouse');
    expect(parsed.messageId).toBe(messageId);
    expect(messageId).toMatch(/^<[0-9a-f-]{36}@example\.com>$/);
    expect(new Date(parsed.date!).toISOString()).toBe(date.toISOString());
    expect(extractCode(parsed.text!)).toBe('908172');
    expect(parsed.text).toContain('https://accounts.example.com/api/v1/auth/verify-email?token=t0k3n');
    expect(parsed.html).toContain('908172');
    expect(parsed.attachments).toEqual([]);
  });

  it('is multipart/alternative with CRLF lines of at most 76 characters in the bodies', () => {
    const { raw } = verificationMime();
    expect(raw).toMatch(/^MIME-Version: 1\.0\r$/m);
    expect(raw).toMatch(/^Content-Type: multipart\/alternative;\r\n boundary="[^"]+"\r$/m);
    expect(raw).toMatch(/^Date: Tue, 01 Sep 2026 12:34:56 \+0000\r$/m);
    expect(raw.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
    const [headers, body] = [raw.slice(0, raw.indexOf('\r\n\r\n')), raw.slice(raw.indexOf('\r\n\r\n'))];
    for (const line of headers.split('\r\n')) expect(line.length).toBeLessThanOrEqual(78);
    for (const line of body.split('\r\n')) expect(line.length).toBeLessThanOrEqual(76);
    expect(raw).toContain('Content-Type: text/plain; charset=utf-8');
    expect(raw).toContain('Content-Type: text/html; charset=utf-8');
  });

  it('encodes a non-ASCII subject and display name (RFC 2047) and decodes back', async () => {
    const subject = 'Vérifiez votre adresse e-mail pour Gâtehouse — 確認してください 🚪 ' + 'long '.repeat(10) + 'end';
    const { raw } = verificationMime({ from: 'Gâtehouse Comptes <no-reply@example.com>', subject });
    const headers = raw.slice(0, raw.indexOf('\r\n\r\n'));
    expect(headers).toMatch(/^[\x00-\x7f]*$/);
    expect(headers).toContain('Subject: =?UTF-8?B?');
    for (const line of headers.split('\r\n')) expect(line.length).toBeLessThanOrEqual(78);
    const parsed = await PostalMime.parse(raw);
    expect(parsed.subject).toBe(subject);
    expect(parsed.from?.name).toBe('Gâtehouse Comptes');
  });

  it('keeps header values on one line (no header injection)', async () => {
    const { raw } = verificationMime({ subject: 'Hello\r\nBcc: victim@example.com' });
    expect(raw).not.toMatch(/^Bcc:/m);
    const parsed = await PostalMime.parse(raw);
    expect(parsed.bcc).toBeUndefined();
  });

  it('round-trips hard cases of quoted-printable', async () => {
    const text = [
      'x'.repeat(200),
      'trailing space ',
      'trailing tab\t',
      'equals = sign and =3D literal',
      'ünïcødé ✓ '.repeat(12),
      '.leading dot',
      '',
      'last',
    ].join('\n');
    const encoded = encodeQuotedPrintable(text);
    for (const line of encoded.split('\r\n')) {
      expect(line.length).toBeLessThanOrEqual(76);
      expect(line).not.toMatch(/[ \t]$/);
    }
    const { raw } = buildMime({ from: 'a@example.com', to: 'b@example.com', subject: 's', text, html: `<p>${text}</p>`, date });
    const parsed = await PostalMime.parse(raw);
    expect(parsed.text?.replace(/\r\n/g, '\n').replace(/\n$/, '')).toBe(text);
  });
});
