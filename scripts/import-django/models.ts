/**
 * Row mappers, one per model kind of the replaced apps. Each turns a dump record into the
 * columns of one of our tables (snake_case, as in src/db/schema.ts); ids stay the strings
 * Django had. Unknown enum values fall back to the column's default.
 */
import {
  BADGE_CATEGORIES,
  BADGE_RARITIES,
  COVER_MEDIA_TYPES,
  FOLLOW_STATUSES,
  NOTIFICATION_FREQUENCIES,
  PROFILE_VISIBILITIES,
  THEMES,
} from '../../src/db/schema';
import { count, datetime, flag, id, jsonObject, oneOf, optionalText, pick, real, stringList, text, type DumpRecord, type Fields } from './fields';
import { bit, type SqlValue } from './sql';

export type Row = Record<string, SqlValue>;

/** Which of our tables a dump model feeds, by its name without the app label. */
export const MODEL_KINDS = {
  user: 'user', customuser: 'user', account: 'user',
  userprofile: 'profile', profile: 'profile',
  usersettings: 'settings', settings: 'settings', userpreferences: 'settings',
  professionalprofile: 'professional',
  follow: 'follow', userfollow: 'follow', userfollowing: 'follow',
  block: 'block', userblock: 'block', blockeduser: 'block',
  badgedefinition: 'badge', badge: 'badge',
  userbadge: 'award',
  passwordhistory: 'password_history',
} as const;
export type ModelKind = (typeof MODEL_KINDS)[keyof typeof MODEL_KINDS];

export function kindOf(record: DumpRecord): ModelKind | null {
  const name = record.model.slice(record.model.lastIndexOf('.') + 1).toLowerCase();
  return (MODEL_KINDS as Record<string, ModelKind>)[name] ?? null;
}

/** The user a per-user record belongs to. */
export const ownerOf = (record: DumpRecord) => id(pick(record.fields, 'user', 'user_id', 'owner'));

const stamp = (f: Fields, ...names: string[]) => datetime(f, ...names, 'updated_at', 'created_at') ?? 0;

export const SOCIAL_PROFILE_COLUMNS = [
  'user_id', 'display_name', 'bio', 'avatar_url', 'cover_media_url', 'cover_media_type', 'website', 'date_of_birth',
  'city', 'country', 'account_type', 'profile_visibility', 'show_email', 'show_phone', 'show_location', 'is_verified',
  'posts_count', 'last_active', 'engagement_score', 'content_quality_score', 'interaction_frequency', 'updated_at',
] as const;

/** The social apps' UserProfile; counts and badge totals are recomputed from rows instead. */
export function socialProfileRow(userId: string, f: Fields): Row {
  const birth = text(f, 'date_of_birth', 'birth_date');
  const country = text(f, 'country').trim().toUpperCase();
  return {
    user_id: userId,
    display_name: text(f, 'display_name'),
    bio: text(f, 'bio'),
    avatar_url: text(f, 'avatar_url', 'avatar'),
    cover_media_url: text(f, 'cover_media_url', 'cover_photo', 'cover_image'),
    cover_media_type: oneOf(pick(f, 'cover_media_type'), COVER_MEDIA_TYPES, 'image'),
    website: text(f, 'website'),
    date_of_birth: /^\d{4}-\d{2}-\d{2}$/.test(birth) ? birth : null,
    city: text(f, 'city'),
    country: /^[A-Z]{2}$/.test(country) ? country : '',
    account_type: oneOf(pick(f, 'account_type'), ['normal', 'professional', 'data_provider', 'owner'] as const, 'normal'),
    // The apps' is_private meant "followers only"; a UserSettings.profile_visibility wins later.
    profile_visibility: flag(f, false, 'is_private') ? 'followers' : 'public',
    show_email: bit(flag(f, false, 'show_email')),
    show_phone: bit(flag(f, false, 'show_phone')),
    show_location: bit(flag(f, false, 'show_location')),
    is_verified: bit(flag(f, false, 'is_verified')),
    posts_count: count(f, 'posts_count'),
    last_active: datetime(f, 'last_active'),
    engagement_score: real(f, 'engagement_score'),
    content_quality_score: real(f, 'content_quality_score'),
    interaction_frequency: real(f, 'interaction_frequency'),
    updated_at: stamp(f),
  };
}

export const BASIC_PROFILE_COLUMNS = ['user_id', 'bio', 'avatar_url', 'location', 'website', 'timezone', 'language', 'updated_at'] as const;

/** The older apps' Profile (bio, avatar, location, website, timezone, language). */
export function basicProfileRow(userId: string, f: Fields): Row {
  return {
    user_id: userId,
    bio: text(f, 'bio'),
    avatar_url: text(f, 'avatar_url', 'avatar'),
    location: text(f, 'location'),
    website: text(f, 'website'),
    timezone: text(f, 'timezone'),
    language: text(f, 'language'),
    updated_at: stamp(f),
  };
}

/** A profile record with the social fields is a UserProfile whatever its model is called. */
export const isSocialProfile = (f: Fields) => ['display_name', 'is_private', 'follower_count', 'account_type', 'show_email'].some((k) => k in f);

export const SETTINGS_COLUMNS = [
  'user_id', 'email_notifications', 'push_notifications', 'warranty_expiry_notifications', 'maintenance_reminder_notifications',
  'notification_frequency', 'language', 'theme', 'timezone', 'mature_content', 'auto_play_videos', 'updated_at',
] as const;

export function settingsRow(userId: string, f: Fields): Row {
  const language = text(f, 'language').trim();
  const zone = text(f, 'timezone').trim();
  return {
    user_id: userId,
    email_notifications: bit(flag(f, true, 'email_notifications')),
    push_notifications: bit(flag(f, true, 'push_notifications')),
    warranty_expiry_notifications: bit(flag(f, true, 'warranty_expiry_notifications')),
    maintenance_reminder_notifications: bit(flag(f, true, 'maintenance_reminder_notifications')),
    notification_frequency: oneOf(pick(f, 'notification_frequency'), NOTIFICATION_FREQUENCIES, 'immediate'),
    language: /^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$/.test(language) ? language : 'en',
    theme: oneOf(pick(f, 'theme'), THEMES, 'system'),
    timezone: isTimeZone(zone) ? zone : 'UTC',
    mature_content: bit(flag(f, false, 'mature_content')),
    auto_play_videos: bit(flag(f, true, 'auto_play_videos')),
    updated_at: stamp(f),
  };
}

/** UserSettings.profile_visibility, when the record has one (it lives on profiles here). */
export function settingsVisibility(f: Fields): string | null {
  const value = pick(f, 'profile_visibility');
  return value === undefined ? null : oneOf(value, PROFILE_VISIBILITIES, 'public');
}

function isTimeZone(zone: string): boolean {
  if (zone === '') return false;
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

export const PROFESSIONAL_COLUMNS = [
  'user_id', 'description', 'phone', 'website', 'business_address', 'company_name', 'job_title', 'years_experience',
  'certifications', 'services_offered', 'is_verified', 'verified_at', 'verified_by', 'verification_note', 'created_at', 'updated_at',
] as const;

export function professionalRow(userId: string, f: Fields): Row {
  return {
    user_id: userId,
    description: text(f, 'description', 'bio'),
    phone: text(f, 'phone', 'phone_number'),
    website: text(f, 'website'),
    business_address: text(f, 'business_address', 'address'),
    company_name: text(f, 'company_name', 'company'),
    job_title: text(f, 'job_title', 'title'),
    years_experience: Math.min(count(f, 'years_experience'), 80),
    certifications: stringList(pick(f, 'certifications')),
    services_offered: stringList(pick(f, 'services_offered', 'services')),
    is_verified: bit(flag(f, false, 'is_verified')),
    verified_at: datetime(f, 'verified_at'),
    verified_by: id(pick(f, 'verified_by')),
    verification_note: text(f, 'verification_note'),
    created_at: datetime(f, 'created_at') ?? 0,
    updated_at: stamp(f),
  };
}

export const FOLLOW_COLUMNS = ['id', 'follower_id', 'followed_id', 'status', 'created_at', 'updated_at'] as const;

/** The followed user is `following`, `followed`, `followee` or `target` in the apps' models. */
export function followRow(record: DumpRecord): Row | null {
  const f = record.fields;
  const followId = id(record.pk);
  const follower = id(pick(f, 'follower', 'follower_id', 'user'));
  const followed = id(pick(f, 'following', 'followed', 'followee', 'target', 'following_user'));
  if (!followId || !follower || !followed) return null;
  const created = datetime(f, 'created_at') ?? 0;
  const status = followStatus(f);
  if (!status) return null;
  return { id: followId, follower_id: follower, followed_id: followed, status, created_at: created, updated_at: datetime(f, 'updated_at') ?? created };
}

const STATUS_WORDS: Record<string, (typeof FOLLOW_STATUSES)[number]> = { accepted: 'accepted', approved: 'accepted', active: 'accepted', pending: 'pending', requested: 'pending' };

/** accepted or pending; null for anything else (a rejected request is no follow). */
function followStatus(f: Fields): (typeof FOLLOW_STATUSES)[number] | null {
  const status = pick(f, 'status');
  if (typeof status === 'string') return STATUS_WORDS[status.toLowerCase()] ?? null;
  return flag(f, true, 'is_accepted', 'accepted', 'is_approved') ? 'accepted' : 'pending';
}

export const BLOCK_COLUMNS = ['id', 'blocker_id', 'blocked_id', 'reason', 'created_at'] as const;

export function blockRow(record: DumpRecord): Row | null {
  const f = record.fields;
  const blockId = id(record.pk);
  const blocker = id(pick(f, 'blocker', 'blocker_id', 'user'));
  const blocked = id(pick(f, 'blocked', 'blocked_id', 'blocked_user'));
  if (!blockId || !blocker || !blocked) return null;
  return { id: blockId, blocker_id: blocker, blocked_id: blocked, reason: text(f, 'reason'), created_at: datetime(f, 'created_at') ?? 0 };
}

export const BADGE_COLUMNS = [
  'id', 'slug', 'name', 'description', 'category', 'icon', 'color', 'image_url', 'criteria', 'points', 'rarity', 'is_active', 'created_at', 'updated_at',
] as const;

export function badgeRow(record: DumpRecord): Row | null {
  const f = record.fields;
  const badgeId = id(record.pk);
  const name = text(f, 'name');
  const slug = text(f, 'slug') || name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
  if (!badgeId || !slug) return null;
  const created = datetime(f, 'created_at') ?? 0;
  return {
    id: badgeId,
    slug,
    name: name || slug,
    description: text(f, 'description'),
    category: oneOf(pick(f, 'category'), BADGE_CATEGORIES, 'achievement'),
    icon: text(f, 'icon'),
    color: text(f, 'color'),
    image_url: text(f, 'image_url', 'image'),
    criteria: jsonObject(pick(f, 'criteria'), '{"type":"manual"}'),
    points: count(f, 'points'),
    rarity: oneOf(pick(f, 'rarity'), BADGE_RARITIES, 'common'),
    is_active: bit(flag(f, true, 'is_active')),
    created_at: created,
    updated_at: datetime(f, 'updated_at') ?? created,
  };
}

export const AWARD_COLUMNS = ['id', 'user_id', 'badge_id', 'earned_at', 'is_featured', 'progress_data', 'awarded_by', 'reason'] as const;

export function awardRow(record: DumpRecord): Row | null {
  const f = record.fields;
  const awardId = id(record.pk);
  const userId = ownerOf(record);
  const badgeId = id(pick(f, 'badge', 'badge_id', 'badge_definition'));
  if (!awardId || !userId || !badgeId) return null;
  return {
    id: awardId,
    user_id: userId,
    badge_id: badgeId,
    earned_at: datetime(f, 'earned_at', 'awarded_at', 'created_at') ?? 0,
    is_featured: bit(flag(f, false, 'is_featured')),
    progress_data: jsonObject(pick(f, 'progress_data'), '{}'),
    awarded_by: id(pick(f, 'awarded_by')),
    reason: text(f, 'reason'),
  };
}

/** PasswordHistory: the old hash as Django stored it (password reuse checks verify against it). */
export function passwordHistoryRow(userId: string, f: Fields): Row | null {
  const hash = optionalText(f, 'password_hash', 'password', 'hashed_password', 'old_password');
  if (!hash) return null;
  return { user_id: userId, password_hash: hash, created_at: datetime(f, 'created_at', 'changed_at') ?? 0 };
}
