import * as z from 'zod';
import { NOTIFICATION_FREQUENCIES, PROFILE_VISIBILITIES, THEMES } from '../db/schema';

function isLanguageTag(value: string): boolean {
  try {
    return Intl.getCanonicalLocales(value).length === 1;
  } catch {
    return false;
  }
}

function isTimeZone(value: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: value });
    return true;
  } catch {
    return false;
  }
}

const bool = z.boolean({ error: 'Must be true or false.' });

export const settingsFields = {
  email_notifications: bool,
  push_notifications: bool,
  warranty_expiry_notifications: bool,
  maintenance_reminder_notifications: bool,
  notification_frequency: z.enum(NOTIFICATION_FREQUENCIES),
  profile_visibility: z.enum(PROFILE_VISIBILITIES),
  language: z.string().max(35).refine(isLanguageTag, 'Enter a BCP 47 language tag, e.g. en or pt-BR.').transform((v) => Intl.getCanonicalLocales(v)[0]!),
  theme: z.enum(THEMES),
  timezone: z.string().max(64).refine(isTimeZone, 'Enter an IANA time zone, e.g. Europe/Oslo.'),
  mature_content: bool,
  auto_play_videos: bool,
};

/** PUT replaces every field; PATCH any subset. Unknown fields are dropped. */
export const settingsPut = z.object(settingsFields);
export const settingsPatch = z.object(settingsFields).partial();
export type SettingsPatch = z.infer<typeof settingsPatch>;
