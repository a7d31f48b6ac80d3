import { isSupportedCountry, parsePhoneNumberFromString, type CountryCode, type MetadataJson, type PhoneNumber } from 'libphonenumber-js/core';
import generated from './phone-metadata.json';

/**
 * libphonenumber-js with its "min" metadata minus the formatting patterns, which parsing and
 * validation never read (phone-metadata.generate.mjs): 50 KB less in the bundle than
 * `libphonenumber-js/min`, the same answers (test/phone-metadata.test.ts compares them).
 */
const metadata = generated as unknown as MetadataJson;

/** A region the phone library has numbering data for ("PK", "GB"). */
export function isPhoneRegionSupported(region: string): boolean {
  return isSupportedCountry(region as CountryCode, metadata);
}

/** libphonenumber-js's parsePhoneNumberFromString over this metadata. */
export function parsePhone(text: string, defaultRegion?: string): PhoneNumber | undefined {
  return parsePhoneNumberFromString(text, { defaultCountry: defaultRegion as CountryCode | undefined }, metadata);
}
