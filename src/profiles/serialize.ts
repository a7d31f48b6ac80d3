import type { ProfessionalProfileRow, ProfileRow, UserRow } from '../db/schema';
import { isStaffRole } from '../admin/permissions';
import { isPrivate, type FollowState, type Viewer, type Visibility } from './visibility';

export type FollowStatus = 'none' | 'pending' | 'following' | 'self';

export function followStatusOf(viewerId: string, ownerId: string, follow: FollowState): FollowStatus {
  if (viewerId === ownerId) return 'self';
  return follow === 'accepted' ? 'following' : follow;
}

const iso = (d: Date | null | undefined) => d?.toISOString() ?? null;

/** What everyone who may see the owner at all sees (API.md "A card"). */
export function profileCard(user: UserRow, profile: ProfileRow, followStatus: FollowStatus) {
  return {
    user_id: user.id,
    username: user.username,
    display_name: profile.displayName,
    avatar_url: profile.avatarUrl,
    bio: profile.bio,
    is_private: isPrivate(profile),
    is_verified: profile.isVerified,
    account_type: profile.accountType,
    follower_count: profile.followerCount,
    following_count: profile.followingCount,
    posts_count: profile.postsCount,
    badge_points: profile.badgePoints,
    total_badges: profile.totalBadges,
    follow_status: followStatus,
  };
}

export interface ProfileView {
  viewer: Viewer;
  visibility: Exclude<Visibility, 'none'>;
  user: UserRow;
  profile: ProfileRow;
  professional: ProfessionalProfileRow | undefined;
  followStatus: FollowStatus;
}

/** The profile as this viewer may see it: a card, plus what `full`, the owner and staff add. */
export function profileForViewer(view: ProfileView) {
  const { user, profile, viewer } = view;
  const card = profileCard(user, profile, view.followStatus);
  if (view.visibility === 'card') return card;
  const isOwner = viewer.id === user.id;
  const isStaff = isStaffRole(viewer.role);
  const privileged = isOwner || isStaff;
  return {
    ...card,
    cover_media_url: profile.coverMediaUrl,
    cover_media_type: profile.coverMediaType,
    website: profile.website,
    date_joined: user.dateJoined.toISOString(),
    professional_profile: view.professional ? serializeProfessional(view.professional) : null,
    ...(privileged || profile.showEmail ? { email: user.email } : {}),
    ...(privileged || profile.showPhone ? { phone_number: user.phoneNumber } : {}),
    ...(privileged || profile.showLocation ? { city: profile.city, country: profile.country } : {}),
    ...(privileged ? ownerFields(profile) : {}),
    ...(isStaff ? staffFields(profile) : {}),
    created_at: user.dateJoined.toISOString(),
    updated_at: profile.updatedAt.toISOString(),
  };
}

function ownerFields(profile: ProfileRow) {
  return {
    date_of_birth: profile.dateOfBirth,
    last_active: iso(profile.lastActive),
    show_email: profile.showEmail,
    show_phone: profile.showPhone,
    show_location: profile.showLocation,
    is_suspended: profile.isSuspended,
    suspension_reason: profile.suspensionReason,
  };
}

function staffFields(profile: ProfileRow) {
  return {
    engagement_score: profile.engagementScore,
    content_quality_score: profile.contentQualityScore,
    interaction_frequency: profile.interactionFrequency,
  };
}

/** The social fields of the owner's own profile in /auth/me: all but the three staff-only scores. */
export function ownProfileFields(user: UserRow, profile: ProfileRow) {
  return {
    display_name: profile.displayName,
    cover_media_url: profile.coverMediaUrl,
    cover_media_type: profile.coverMediaType,
    date_of_birth: profile.dateOfBirth,
    city: profile.city,
    country: profile.country,
    account_type: profile.accountType,
    is_private: isPrivate(profile),
    show_email: profile.showEmail,
    show_phone: profile.showPhone,
    show_location: profile.showLocation,
    is_verified: profile.isVerified,
    is_suspended: profile.isSuspended,
    suspension_reason: profile.suspensionReason,
    follower_count: profile.followerCount,
    following_count: profile.followingCount,
    posts_count: profile.postsCount,
    badge_points: profile.badgePoints,
    total_badges: profile.totalBadges,
    last_active: iso(profile.lastActive),
    created_at: user.dateJoined.toISOString(),
    updated_at: profile.updatedAt.toISOString(),
  };
}

export function serializeProfessional(row: ProfessionalProfileRow) {
  return {
    user_id: row.userId,
    description: row.description,
    phone: row.phone,
    website: row.website,
    business_address: row.businessAddress,
    company_name: row.companyName,
    job_title: row.jobTitle,
    years_experience: row.yearsExperience,
    certifications: JSON.parse(row.certifications) as string[],
    services_offered: JSON.parse(row.servicesOffered) as string[],
    is_verified: row.isVerified,
    verified_at: iso(row.verifiedAt),
    created_at: row.createdAt.toISOString(),
    updated_at: row.updatedAt.toISOString(),
  };
}
