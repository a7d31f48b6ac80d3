import * as z from 'zod';
import { NOTIFICATION_FREQUENCIES, PROFILE_VISIBILITIES, THEMES } from '../db/schema';

/** GET/PUT/PATCH /settings answer (store.ts serializeSettings). */
export const settingsSchema = z
  .object({
    email_notifications: z.boolean(),
    push_notifications: z.boolean(),
    warranty_expiry_notifications: z.boolean(),
    maintenance_reminder_notifications: z.boolean(),
    notification_frequency: z.enum(NOTIFICATION_FREQUENCIES),
    profile_visibility: z.enum(PROFILE_VISIBILITIES),
    language: z.string(),
    theme: z.enum(THEMES),
    timezone: z.string(),
    mature_content: z.boolean(),
    auto_play_videos: z.boolean(),
  })
  .meta({ id: 'Settings' });
