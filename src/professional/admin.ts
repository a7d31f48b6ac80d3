import { eq } from 'drizzle-orm';
import { professionalProfiles, profiles, users } from '../db/schema';
import type { AdminContext } from '../admin/context';
import { adminAudit } from '../admin/audit';
import { ApiError } from '../http/errors';
import { enqueueMail } from '../mail/enqueue';
import { createLogger, errorSummary } from '../http/log';
import { findProfessional } from './service';
import { readSettings } from '../settings/store';
import type { MailTemplates } from '../mail/types';

/** Staff verify (or unverify) a professional profile: both flags, audited, and the owner is mailed. */
export async function verifyProfessional(ctx: AdminContext, userId: string, verified: boolean, note: string) {
  const row = await findProfessional(ctx.db, userId);
  const [owner] = row ? await ctx.db.select({ email: users.email }).from(users).where(eq(users.id, userId)).limit(1) : [];
  if (!row || !owner) throw new ApiError('not_found');
  const at = new Date(ctx.now);
  const verification = verified ? { isVerified: true, verifiedAt: at, verifiedBy: ctx.staff.id } : { isVerified: false, verifiedAt: null, verifiedBy: null };
  await ctx.db.batch([
    ctx.db.update(professionalProfiles).set({ ...verification, verificationNote: note, updatedAt: at }).where(eq(professionalProfiles.userId, userId)),
    ctx.db.update(profiles).set({ isVerified: verified, updatedAt: at }).where(eq(profiles.userId, userId)),
    adminAudit(ctx, verified ? 'professional_profile_verified' : 'professional_profile_unverified', userId, { note }),
  ]);
  // Not a security notice: it obeys the owner's email_notifications setting.
  if (owner.email && (await readSettings(ctx.db, userId)).email_notifications) {
    await mailOwner(ctx, { to: owner.email, userId, data: { outcome: verified ? 'verified' : 'unverified', company_name: row.companyName, note } });
  }
  return { ...row, ...verification, verificationNote: note, updatedAt: at };
}

async function mailOwner(ctx: AdminContext, mail: { to: string; userId: string; data: MailTemplates['professional_verification'] }) {
  try {
    await enqueueMail(ctx.env, { template: 'professional_verification', ...mail }, ctx.now);
  } catch (err) {
    // The decision stands; the mail is a courtesy.
    createLogger().error('professional verification mail not queued', { user_id: mail.userId, ...errorSummary(err) });
  }
}
