import { ACCOUNT_TYPES, type Role } from '../../src/db/schema';
import { normalizeEmail, normalizePhone, normalizeUsername, usernameKey } from '../../src/users/normalize';
import type { PhoneMetadata } from '../../src/config/phone';
import phoneMetadataJson from '../../public/data/phone-metadata.json';
import { datetime, flag, id, optionalText, text, type DumpRecord } from './fields';

type AccountType = (typeof ACCOUNT_TYPES)[number];

/** A Django user as our `users` row (snake_case columns), plus what goes on its profile. */
export interface ImportedUser {
  id: string;
  email: string | null;
  username: string | null;
  username_key: string | null;
  phone_number: string | null;
  /** The phone as the dump had it, when it could not be read as a number. */
  unreadablePhone: string | null;
  first_name: string;
  last_name: string;
  password_hash: string;
  role: Role;
  is_active: boolean;
  email_verified: boolean;
  date_joined: number;
  last_login: number | null;
  accountType: AccountType;
}

/** Django's make_password(None) form; an empty password column means the same ("must reset"). */
const UNUSABLE = '!';

/**
 * Roles (API.md "Coming from the replaced apps"): is_superuser → admin, is_staff → manager,
 * the platform's `moderator` (or `admin`) → manager (admin), other platform roles that name
 * an account type → that account_type on the profile.
 */
export function mapRole(fields: Record<string, unknown>): { role: Role; accountType: AccountType } {
  const platformRole = text(fields, 'role', 'user_type').toLowerCase();
  const declaredType = text(fields, 'account_type').toLowerCase();
  const accountType = (ACCOUNT_TYPES as readonly string[]).includes(platformRole)
    ? (platformRole as AccountType)
    : (ACCOUNT_TYPES as readonly string[]).includes(declaredType)
      ? (declaredType as AccountType)
      : 'normal';
  if (flag(fields, false, 'is_superuser') || platformRole === 'admin') return { role: 'admin', accountType };
  if (flag(fields, false, 'is_staff') || platformRole === 'moderator' || platformRole === 'manager') return { role: 'manager', accountType };
  return { role: 'user', accountType };
}

/** The Worker's phone metadata (a static asset there), read here from the file. */
const phoneMetadata = phoneMetadataJson as unknown as PhoneMetadata;

export function mapUser(record: DumpRecord, phoneRegion: string | undefined): ImportedUser | null {
  const userId = id(record.pk);
  if (!userId) return null;
  const f = record.fields;
  const emailText = optionalText(f, 'email');
  const usernameText = optionalText(f, 'username');
  const phoneText = optionalText(f, 'phone_number', 'phone', 'mobile');
  // The same reading as register and login with DEFAULT_PHONE_REGION, so the imported number is found at sign-in.
  const phone = phoneText ? normalizePhone(phoneText, phoneRegion?.toUpperCase() ?? '', phoneMetadata) : null;
  const username = usernameText ? normalizeUsername(usernameText) : null;
  const password = text(f, 'password');
  const joined = datetime(f, 'date_joined', 'created_at') ?? 0;
  return {
    id: userId,
    email: emailText ? normalizeEmail(emailText) : null,
    username,
    username_key: username ? usernameKey(username) : null,
    phone_number: phone,
    unreadablePhone: phoneText && !phone ? phoneText : null,
    first_name: text(f, 'first_name'),
    last_name: text(f, 'last_name'),
    password_hash: password === '' ? `${UNUSABLE}imported-without-password` : password,
    ...mapRole(f),
    is_active: flag(f, true, 'is_active'),
    // Apps without a verification flag never asked for one: their users count as verified.
    email_verified: flag(f, true, 'is_verified', 'email_verified', 'is_email_verified'),
    date_joined: joined,
    last_login: datetime(f, 'last_login'),
  };
}
