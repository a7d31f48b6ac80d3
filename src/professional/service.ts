import { and, desc, eq, gte, inArray, lt, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../db/client';
import { professionalProfiles, profiles, users, type ProfessionalProfileRow } from '../db/schema';
import { auditInsert } from '../audit/record';
import { ApiError } from '../http/errors';
import { isUniqueViolation } from '../social/unique';
import { offsetOf } from '../admin/pagination';
import { visibleToCondition, type Viewer } from '../profiles/visibility';
import type { Actor } from '../follows/service';
import type { ProfessionalListQuery, ProfessionalPatch } from './schemas';

/** Changing any of these on a verified profile clears the verification: staff checked the old values. */
const VERIFIED_FACTS = ['company_name', 'business_address', 'certifications'] as const;

export function professionalColumns(patch: ProfessionalPatch): Partial<ProfessionalProfileRow> {
  const columns: Partial<ProfessionalProfileRow> = {};
  if (patch.description !== undefined) columns.description = patch.description;
  if (patch.phone !== undefined) columns.phone = patch.phone;
  if (patch.website !== undefined) columns.website = patch.website;
  if (patch.business_address !== undefined) columns.businessAddress = patch.business_address;
  if (patch.company_name !== undefined) columns.companyName = patch.company_name;
  if (patch.job_title !== undefined) columns.jobTitle = patch.job_title;
  if (patch.years_experience !== undefined) columns.yearsExperience = patch.years_experience;
  if (patch.certifications !== undefined) columns.certifications = JSON.stringify(patch.certifications);
  if (patch.services_offered !== undefined) columns.servicesOffered = JSON.stringify(patch.services_offered);
  return columns;
}

export function newProfessionalRow(userId: string, patch: ProfessionalPatch, now: number): ProfessionalProfileRow {
  const at = new Date(now);
  return {
    userId,
    description: '',
    phone: '',
    website: '',
    businessAddress: '',
    companyName: '',
    jobTitle: '',
    yearsExperience: 0,
    certifications: '[]',
    servicesOffered: '[]',
    isVerified: false,
    verifiedAt: null,
    verifiedBy: null,
    verificationNote: '',
    createdAt: at,
    updatedAt: at,
    ...professionalColumns(patch),
  };
}

/** The statements that create a professional profile and make the account professional (for a batch). */
export function createProfessionalStatements(db: Db, row: ProfessionalProfileRow) {
  return [
    db.insert(professionalProfiles).values(row),
    db.update(profiles).set({ accountType: 'professional', updatedAt: row.createdAt }).where(eq(profiles.userId, row.userId)),
  ] as const;
}

export async function findProfessional(db: Db, userId: string) {
  const [row] = await db.select().from(professionalProfiles).where(eq(professionalProfiles.userId, userId)).limit(1);
  return row;
}

/** One per user: the primary key refuses a second, also under a race (409 conflict). */
export async function createProfessional(db: Db, actor: Actor, patch: ProfessionalPatch) {
  const row = newProfessionalRow(actor.userId, patch, actor.now);
  try {
    await db.batch([
      ...createProfessionalStatements(db, row),
      auditInsert(db, { type: 'professional_profile_created', userId: actor.userId, actorId: actor.userId, ip: actor.ip, userAgent: actor.userAgent, at: actor.now }),
    ]);
  } catch (err) {
    if (isUniqueViolation(err)) throw new ApiError('conflict', 'You already have a professional profile.');
    throw err;
  }
  return row;
}

function changesVerifiedFacts(row: ProfessionalProfileRow, columns: Partial<ProfessionalProfileRow>): boolean {
  const before = { company_name: row.companyName, business_address: row.businessAddress, certifications: row.certifications };
  const after = { company_name: columns.companyName, business_address: columns.businessAddress, certifications: columns.certifications };
  return VERIFIED_FACTS.some((key) => after[key] !== undefined && after[key] !== before[key]);
}

export async function updateProfessional(db: Db, actor: Actor, patch: ProfessionalPatch) {
  const row = await findProfessional(db, actor.userId);
  if (!row) throw new ApiError('not_found');
  const columns = professionalColumns(patch);
  const clears = row.isVerified && changesVerifiedFacts(row, columns);
  const at = new Date(actor.now);
  const verification = clears ? { isVerified: false, verifiedAt: null, verifiedBy: null } : {};
  await db.batch([
    // Only clears a verification that is still the one we read: staff may have acted meanwhile.
    db.update(professionalProfiles).set({ ...columns, ...verification, updatedAt: at }).where(eq(professionalProfiles.userId, actor.userId)),
    ...(clears ? [db.update(profiles).set({ isVerified: false, updatedAt: at }).where(eq(profiles.userId, actor.userId))] : []),
    auditInsert(db, {
      type: 'professional_profile_updated',
      userId: actor.userId,
      actorId: actor.userId,
      ip: actor.ip,
      userAgent: actor.userAgent,
      metadata: { fields: Object.keys(patch), verification_cleared: clears },
      at: actor.now,
    }),
  ]);
  return { ...row, ...columns, ...verification, updatedAt: at };
}

export async function deleteProfessional(db: Db, actor: Actor) {
  const row = await findProfessional(db, actor.userId);
  if (!row) throw new ApiError('not_found');
  const at = new Date(actor.now);
  await db.batch([
    db.delete(professionalProfiles).where(eq(professionalProfiles.userId, actor.userId)),
    db.update(profiles).set({ accountType: 'normal', isVerified: false, updatedAt: at }).where(eq(profiles.userId, actor.userId)),
    auditInsert(db, { type: 'professional_profile_deleted', userId: actor.userId, actorId: actor.userId, ip: actor.ip, userAgent: actor.userAgent, at: actor.now }),
  ]);
}

const MAX_CHAR = '\u{10FFFF}';

/** Visible owners only (the visibility rule's SQL mirror); search is a company-name prefix, ASCII case-folded. */
export function professionalListWhere(viewer: Viewer, query: Partial<ProfessionalListQuery>): SQL | undefined {
  const term = query.search?.replace(/[A-Z]/g, (ch) => ch.toLowerCase());
  const company = sql`lower(${professionalProfiles.companyName})`;
  return and(
    visibleToCondition(viewer),
    query.is_verified !== undefined ? eq(professionalProfiles.isVerified, query.is_verified) : undefined,
    term ? and(gte(company, term), lt(company, term + MAX_CHAR)) : undefined,
    query.service ? sql`exists (select 1 from json_each(${professionalProfiles.servicesOffered}) where value = ${query.service})` : undefined,
  );
}

export async function listProfessionals(db: Db, viewer: Viewer, query: ProfessionalListQuery) {
  const where = professionalListWhere(viewer, query);
  const base = () =>
    db
      .select({ userId: professionalProfiles.userId })
      .from(professionalProfiles)
      .innerJoin(users, eq(users.id, professionalProfiles.userId))
      .innerJoin(profiles, eq(profiles.userId, professionalProfiles.userId))
      .where(where);
  const [ids, counts] = await db.batch([
    base().orderBy(desc(professionalProfiles.createdAt)).limit(query.page_size).offset(offsetOf(query)),
    db
      .select({ n: sql<number>`count(*)` })
      .from(professionalProfiles)
      .innerJoin(users, eq(users.id, professionalProfiles.userId))
      .innerJoin(profiles, eq(profiles.userId, professionalProfiles.userId))
      .where(where),
  ]);
  if (ids.length === 0) return { count: counts[0]?.n ?? 0, rows: [] };
  const rows = await db.select().from(professionalProfiles).where(inArray(professionalProfiles.userId, ids.map((r) => r.userId)));
  const byId = new Map(rows.map((r) => [r.userId, r]));
  return { count: counts[0]?.n ?? 0, rows: ids.flatMap((r) => byId.get(r.userId) ?? []) };
}
