import type { MailTemplates } from '../types';
import { facts, notYouNote, paragraph, plural, type AppInfo, type MailContent } from './content';

export function lockoutNotice(data: MailTemplates['lockout_notice'], app: AppInfo): MailContent {
  return {
    subject: `Your ${app.appName} account was temporarily locked`,
    blocks: [
      paragraph(`After several failed sign-in attempts, sign-in to your account is paused for ${plural(data.minutes, 'minute')}.`),
      notYouNote(app),
    ],
  };
}

export function newSignIn(data: MailTemplates['new_sign_in'], app: AppInfo): MailContent {
  return {
    subject: `New sign-in to your ${app.appName} account`,
    blocks: [
      paragraph(`Your ${app.appName} account was just signed in to from a new device.`),
      facts([
        ['Time', data.time],
        ['IP address', data.ip],
        ['Device', data.user_agent],
      ]),
      notYouNote(app),
    ],
  };
}

export function passwordChanged(data: MailTemplates['password_changed'], app: AppInfo): MailContent {
  return {
    subject: `Your ${app.appName} password was changed`,
    blocks: [paragraph(`The password of your ${app.appName} account was changed at ${data.time}.`), notYouNote(app)],
  };
}

export function mfaChanged(data: MailTemplates['mfa_changed'], app: AppInfo): MailContent {
  return {
    subject: `Two-factor authentication changed on your ${app.appName} account`,
    blocks: [paragraph(`A change was made to the two-factor authentication of your account: ${data.change}.`), notYouNote(app)],
  };
}
