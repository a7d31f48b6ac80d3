import * as z from 'zod';
import { FOLLOW_STATUSES } from '../db/schema';
import { blankless, pageFields } from '../admin/schemas';

const userRef = z.string().trim().min(1, 'This field may not be blank.').max(100);

/** `{user_id}`; `followed` and `following` are accepted names for it (the replaced clients send either). */
export const followBody = z
  .object({ user_id: userRef.optional(), followed: userRef.optional(), following: userRef.optional() })
  .transform((b) => b.user_id ?? b.followed ?? b.following)
  .refine((id): id is string => id !== undefined, { message: 'This field is required.', path: ['user_id'] });

export const followListQuery = z.object({
  follower: blankless(z.string().trim().max(100).optional()),
  followed: blankless(z.string().trim().max(100).optional()),
  status: blankless(z.enum(FOLLOW_STATUSES).optional()),
  ...pageFields,
});
export type FollowListQuery = z.infer<typeof followListQuery>;

export const pageQuery = z.object(pageFields);
