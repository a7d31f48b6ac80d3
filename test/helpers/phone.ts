import generated from '../../public/data/phone-metadata.json';
import type { PhoneMetadata } from '../../src/config/phone';
import { normalizePhone } from '../../src/users/normalize';

/** The metadata the Worker reads from its static assets, as the file holds it. */
export const phoneMetadata = generated as unknown as PhoneMetadata;

/** normalizePhone over that metadata, for tests that make or check numbers. */
export const normalizedPhone = (phone: string, defaultRegion = '') => normalizePhone(phone, defaultRegion, phoneMetadata);
