import { parsePhoneNumberFromString, type CountryCode, type MetadataJson, type PhoneNumber } from 'libphonenumber-js/core';
import regions from './phone-regions.json';

/**
 * libphonenumber-js's "min" metadata minus the formatting patterns, which parsing and
 * validation never read (phone-metadata.generate.mjs): the same answers as
 * `libphonenumber-js/min` (test/config.phone-metadata.cases.ts compares them). It is a static
 * asset, public/data/phone-metadata.json (31 KB, not in the Worker bundle): the Worker reads
 * it through ASSETS where it parses a phone number (src/users/phones.ts), scripts from disk.
 */
export type PhoneMetadata = MetadataJson & { readonly __phoneMetadata: true };

/** Where the Worker's static assets serve the metadata. */
export const PHONE_METADATA_ASSET = '/data/phone-metadata.json';

/** Fewer numbering plans than this is not the metadata (245 in libphonenumber-js 1.13). */
const MIN_REGIONS = 200;

/** The metadata file's text as metadata, or why it is not the metadata. */
export function parsePhoneMetadata(text: string): PhoneMetadata | string {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return 'not JSON';
  }
  const { version, countries, country_calling_codes } = (json ?? {}) as Partial<Record<string, unknown>>;
  if (version !== 4 || typeof country_calling_codes !== 'object' || country_calling_codes === null) return `not metadata version 4`;
  const count = typeof countries === 'object' && countries !== null ? Object.keys(countries).length : 0;
  return count >= MIN_REGIONS ? (json as PhoneMetadata) : `${count} regions`;
}

const supported: ReadonlySet<string> = new Set(regions);

/**
 * A region the phone library has numbering data for ("PK", "GB"): the metadata's regions,
 * listed beside this file (phone-regions.json, same generator), so that the configuration
 * can be checked without loading the metadata.
 */
export function isPhoneRegionSupported(region: string): boolean {
  return supported.has(region);
}

/** libphonenumber-js's parsePhoneNumberFromString over this metadata. */
export function parsePhone(text: string, defaultRegion: string | undefined, metadata: PhoneMetadata): PhoneNumber | undefined {
  return parsePhoneNumberFromString(text, { defaultCountry: defaultRegion as CountryCode | undefined }, metadata);
}
