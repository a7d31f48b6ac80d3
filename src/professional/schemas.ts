import * as z from 'zod';
import { blankless, booleanParam, pageFields } from '../admin/schemas';

const text = (max: number) => z.string().trim().max(max, `Ensure this field has no more than ${max} characters.`);
const list = z.array(text(100), { error: 'Expected a list of strings.' }).max(50, 'Ensure this field has no more than 50 items.');

export const professionalFields = {
  description: text(2000),
  phone: text(32),
  website: z.union([z.literal(''), z.url({ protocol: /^https?$/, error: 'Enter a valid http(s) URL.' }).max(500)]),
  business_address: text(500),
  company_name: text(200),
  job_title: text(200),
  years_experience: z.number({ error: 'A valid integer is required.' }).int('A valid integer is required.').min(0).max(80),
  certifications: list,
  services_offered: list,
};

/** POST and PATCH: any subset (absent fields keep their defaults or values). PUT: every field. */
export const professionalPatch = z.object(professionalFields).partial();
export const professionalPut = z.object(professionalFields);
export type ProfessionalPatch = z.infer<typeof professionalPatch>;

export const professionalListQuery = z.object({
  search: blankless(z.string().trim().max(100).optional()),
  is_verified: blankless(booleanParam.optional()),
  service: blankless(z.string().trim().max(100).optional()),
  ...pageFields,
});
export type ProfessionalListQuery = z.infer<typeof professionalListQuery>;

export const verifyBody = z.object({
  verified: z.boolean({ error: 'Must be true or false.' }),
  note: text(500).optional().default(''),
});
