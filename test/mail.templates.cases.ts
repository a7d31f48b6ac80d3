import { describe, expect, it } from 'vitest';
import { MailRenderError, renderMail } from '../src/mail/templates';
import type { MailJob, MailTemplates } from '../src/mail/types';
import { extractCode, mailJob } from './helpers/mail';

const app = { appName: 'Gatehouse', publicUrl: 'https://accounts.example.com' };

const SAMPLE_DATA: MailTemplates = {
  verify_email: { code: '123456', link: 'https://accounts.example.com/api/v1/auth/verify-email?token=abc.def', code_minutes: 10, link_hours: 24 },
  welcome: { first_name: 'Ada' },
  account_exists: { reset_hint: 'Use "Forgot password" on the sign-in page.' },
  lockout_notice: { minutes: 5 },
  new_sign_in: { ip: '203.0.113.9', user_agent: 'Firefox on Linux', time: '2026-09-01T12:00:00.000Z' },
  login_code: { code: '654321', minutes: 10 },
  password_reset_code: { code: '111222', minutes: 10 },
  password_changed: { time: '2026-09-01T12:00:00.000Z' },
  mfa_changed: { change: 'two-factor authentication was turned on' },
  security_alert: { alert: 'credential stuffing', summary: '42 failed sign-ins for 7 accounts from 203.0.113.9 in 15 minutes.', time: '2026-09-01T12:00:00.000Z' },
  professional_verification: { outcome: 'verified', company_name: 'Lovelace Engines', note: 'Registry entry checked.' },
  badge_earned: { badge_name: 'Popular', description: 'Followed by 100 people.', points: 25 },
  events_review: { count: 2, lines: 'mfa_disabled (risk 20) of account 1234\naccount_locked (critical, risk 70)', time: '2026-09-01T12:00:00.000Z' },
};

const render = <T extends keyof MailTemplates>(template: T, data: MailTemplates[T]) =>
  renderMail(mailJob({ template, data } as Partial<MailJob>), app);

describe('mail templates', () => {
  it.each(Object.keys(SAMPLE_DATA) as (keyof MailTemplates)[])('%s renders text and HTML with the app name and URL', (template) => {
    const mail = render(template, SAMPLE_DATA[template]);
    expect(mail.subject).toContain('Gatehouse');
    for (const body of [mail.text, mail.html]) {
      expect(body).toContain('Gatehouse');
      expect(body).toContain('https://accounts.example.com');
    }
    expect(mail.html).toMatch(/^<!doctype html>/);
  });

  it.each(Object.keys(SAMPLE_DATA) as (keyof MailTemplates)[])('%s loads nothing from elsewhere', (template) => {
    const { html } = render(template, SAMPLE_DATA[template]);
    expect(html).not.toMatch(/<img|<link|<script|<style|@import|url\(|\ssrc=|@font-face/i);
  });

  it('verification mail shows the code and the link in both parts', () => {
    const mail = render('verify_email', SAMPLE_DATA.verify_email);
    expect(extractCode(mail.text)).toBe('123456');
    expect(mail.text).toContain(SAMPLE_DATA.verify_email.link);
    expect(mail.text).toMatch(/10 minutes/);
    expect(mail.text).toMatch(/24 hours/);
    expect(mail.html).toContain('123456');
    expect(mail.html).toContain('href="https://accounts.example.com/api/v1/auth/verify-email?token=abc.def"');
  });

  it('code mails show their code first', () => {
    expect(extractCode(render('login_code', SAMPLE_DATA.login_code).text)).toBe('654321');
    expect(extractCode(render('password_reset_code', SAMPLE_DATA.password_reset_code).text)).toBe('111222');
  });

  it('escapes every interpolated value in the HTML part', () => {
    const hostile = '<script>alert("x")</script>&\'';
    const mail = render('new_sign_in', { ip: hostile, user_agent: '<img src=https://evil.test/x>', time: hostile });
    expect(mail.html).not.toContain('<script>');
    expect(mail.html).not.toContain('<img');
    expect(mail.html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;&#39;');
    // The text part is plain text: shown as typed.
    expect(mail.text).toContain(hostile);
    const welcome = render('welcome', { first_name: '"><b>Eve</b>' });
    expect(welcome.html).toContain('&quot;&gt;&lt;b&gt;Eve&lt;/b&gt;');
  });

  it('escapes the app name and the link attribute', () => {
    const odd = { appName: 'A&B <Accounts>', publicUrl: 'https://accounts.example.com' };
    const link = 'https://accounts.example.com/verify?token=a"onmouseover="x&b=<c>';
    const mail = renderMail(mailJob({ template: 'verify_email', data: { ...SAMPLE_DATA.verify_email, link } }), odd);
    expect(mail.html).toContain('A&amp;B &lt;Accounts&gt;');
    expect(mail.html).toContain('href="https://accounts.example.com/verify?token=a&quot;onmouseover=&quot;x&amp;b=&lt;c&gt;"');
    expect(mail.html).not.toContain('"onmouseover=');
  });

  it('refuses a link that does not point at the public URL', () => {
    for (const link of ['https://evil.example/verify?token=x', 'https://accounts.example.com.evil.test/x', 'javascript:alert(1)']) {
      expect(() => render('verify_email', { ...SAMPLE_DATA.verify_email, link })).toThrow(MailRenderError);
    }
  });

  it('says "1 minute", not "1 minutes"', () => {
    expect(render('lockout_notice', { minutes: 1 }).text).toContain('1 minute.');
  });
});
