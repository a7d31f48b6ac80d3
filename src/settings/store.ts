import { eq } from 'drizzle-orm';
import type { Db } from '../db/client';
import { profiles, userSettings, type UserSettingsRow } from '../db/schema';
import { auditInsert } from '../audit/record';
import { visibilityStatements } from '../profiles/owner-patch';
import type { SettingsPatch } from './schemas';

/**
 * Accounts from before user_settings have no row: they read these, the table's own column
 * defaults, until their first write creates the row (an upsert). So no backfill is needed.
 */
export function defaultSettings(userId: string): UserSettingsRow {
  return {
    userId,
    emailNotifications: true,
    pushNotifications: true,
    warrantyExpiryNotifications: true,
    maintenanceReminderNotifications: true,
    notificationFrequency: 'immediate',
    language: 'en',
    theme: 'system',
    timezone: 'UTC',
    matureContent: false,
    autoPlayVideos: true,
    updatedAt: new Date(0),
  };
}

export async function readSettings(db: Db, userId: string) {
  const [rows, visibility] = await db.batch([
    db.select().from(userSettings).where(eq(userSettings.userId, userId)).limit(1),
    db.select({ v: profiles.profileVisibility }).from(profiles).where(eq(profiles.userId, userId)).limit(1),
  ]);
  return serializeSettings(rows[0] ?? defaultSettings(userId), visibility[0]?.v ?? 'public');
}

export function serializeSettings(row: UserSettingsRow, profileVisibility: string) {
  return {
    email_notifications: row.emailNotifications,
    push_notifications: row.pushNotifications,
    warranty_expiry_notifications: row.warrantyExpiryNotifications,
    maintenance_reminder_notifications: row.maintenanceReminderNotifications,
    notification_frequency: row.notificationFrequency,
    // One source of truth: the profile's visibility (is_private is derived from it).
    profile_visibility: profileVisibility,
    language: row.language,
    theme: row.theme,
    timezone: row.timezone,
    mature_content: row.matureContent,
    auto_play_videos: row.autoPlayVideos,
  };
}

function settingsColumns(patch: SettingsPatch): Partial<UserSettingsRow> {
  const columns: Partial<UserSettingsRow> = {};
  if (patch.email_notifications !== undefined) columns.emailNotifications = patch.email_notifications;
  if (patch.push_notifications !== undefined) columns.pushNotifications = patch.push_notifications;
  if (patch.warranty_expiry_notifications !== undefined) columns.warrantyExpiryNotifications = patch.warranty_expiry_notifications;
  if (patch.maintenance_reminder_notifications !== undefined) columns.maintenanceReminderNotifications = patch.maintenance_reminder_notifications;
  if (patch.notification_frequency !== undefined) columns.notificationFrequency = patch.notification_frequency;
  if (patch.language !== undefined) columns.language = patch.language;
  if (patch.theme !== undefined) columns.theme = patch.theme;
  if (patch.timezone !== undefined) columns.timezone = patch.timezone;
  if (patch.mature_content !== undefined) columns.matureContent = patch.mature_content;
  if (patch.auto_play_videos !== undefined) columns.autoPlayVideos = patch.auto_play_videos;
  return columns;
}

interface Meta {
  ip: string | null;
  userAgent: string | null;
  at: number;
}

/** Upsert of the settings, the visibility on the profile (and what going public implies), audited: one batch. */
export async function writeSettings(db: Db, userId: string, patch: SettingsPatch, meta: Meta) {
  const at = new Date(meta.at);
  const columns = { ...settingsColumns(patch), updatedAt: at };
  const visibility = patch.profile_visibility;
  await db.batch([
    db
      .insert(userSettings)
      .values({ ...defaultSettings(userId), ...columns })
      .onConflictDoUpdate({ target: userSettings.userId, set: columns }),
    ...(visibility ? [db.update(profiles).set({ profileVisibility: visibility, updatedAt: at }).where(eq(profiles.userId, userId))] : []),
    ...(visibility ? visibilityStatements(db, userId, visibility, meta) : []),
    auditInsert(db, { type: 'settings_updated', userId, actorId: userId, ip: meta.ip, userAgent: meta.userAgent, metadata: { fields: Object.keys(patch) }, at: meta.at }),
  ]);
}
