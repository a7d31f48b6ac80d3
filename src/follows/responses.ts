import * as z from 'zod';
import { FOLLOW_STATUSES } from '../db/schema';
import { isoTime } from '../users/responses';

/** OpenAPI response schemas of follows and blocks (serialize.ts, blocks/service.ts build them). */
export const followSchema = z
  .object({ id: z.string(), follower: z.string(), followed: z.string(), status: z.enum(FOLLOW_STATUSES), created_at: isoTime })
  .meta({ id: 'Follow' });

export const blockSchema = z
  .object({ id: z.string(), blocker: z.string(), blocked: z.string(), reason: z.string(), created_at: isoTime })
  .meta({ id: 'Block' });
