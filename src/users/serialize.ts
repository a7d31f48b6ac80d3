import type { ProfileRow, UserRow } from '../db/schema';

/** A user as the API shows it (API.md "Users"): never the password hash. */
export interface PublicUser {
  id: string;
  /** null for an account that signs in by username or phone only. */
  email: string | null;
  username: string | null;
  phone_number: string | null;
  first_name: string;
  last_name: string;
  role: UserRow['role'];
  is_active: boolean;
  email_verified: boolean;
  mfa_enabled: boolean;
  date_joined: string;
  last_login: string | null;
}

export function serializeUser(user: UserRow): PublicUser {
  return {
    id: user.id,
    email: user.email,
    username: user.username,
    phone_number: user.phoneNumber,
    first_name: user.firstName,
    last_name: user.lastName,
    role: user.role,
    is_active: user.isActive,
    email_verified: user.emailVerified,
    mfa_enabled: user.mfaEnabled,
    date_joined: user.dateJoined.toISOString(),
    last_login: user.lastLogin?.toISOString() ?? null,
  };
}

export function serializeProfile(profile: ProfileRow | undefined) {
  return {
    bio: profile?.bio ?? '',
    avatar_url: profile?.avatarUrl ?? '',
    location: profile?.location ?? '',
    website: profile?.website ?? '',
    timezone: profile?.timezone ?? '',
    language: profile?.language ?? '',
  };
}
