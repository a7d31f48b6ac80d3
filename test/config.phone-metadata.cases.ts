import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import full from 'libphonenumber-js/metadata.min.json';
import examples from 'libphonenumber-js/examples.mobile.json';
import { getCountries, getCountryCallingCode, isSupportedCountry, parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/min';
import regions from '../src/config/phone-regions.json';
import { isPhoneRegionSupported, parsePhone } from '../src/config/phone';
import { phoneMetadata as generated } from './helpers/phone';

/** What an answer of ours depends on: the E.164 form, and whether it is valid or has an extension. */
function outcome(parsed: ReturnType<typeof parsePhone>) {
  return parsed ? { number: parsed.number, valid: parsed.isValid(), ext: parsed.ext ?? null, country: parsed.country ?? null } : null;
}
const withFull = (text: string, region?: string) => outcome(parsePhoneNumberFromString(text, region as CountryCode | undefined));
const withOurs = (text: string, region?: string) => outcome(parsePhone(text, region, generated));

describe("the phone metadata without formats (src/config/phone.ts)", () => {
  it('is libphonenumber-js min metadata minus the formats, its regions listed beside (else: node src/config/phone-metadata.generate.mjs)', () => {
    const strip = (plans: Record<string, unknown[]>) =>
      Object.fromEntries(Object.entries(plans).map(([key, plan]) => [key, plan.map((field, i) => (i === 4 && Array.isArray(field) ? 0 : field))]));
    const source = full as unknown as { countries: Record<string, unknown[]>; nonGeographic: Record<string, unknown[]> };
    expect(generated).toEqual({ ...full, countries: strip(source.countries), nonGeographic: strip(source.nonGeographic) });
    expect(JSON.stringify(generated).length).toBeLessThan(JSON.stringify(full).length / 2);
    expect(regions).toEqual(Object.keys(full.countries).sort());
  });

  it('knows the same regions', () => {
    const letters = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
    for (const a of letters) for (const b of letters) expect(isPhoneRegionSupported(a + b), a + b).toBe(isSupportedCountry(a + b));
  });

  it("parses every region's example number as the full metadata does, international and national", () => {
    let valid = 0;
    for (const region of getCountries()) {
      const national = (examples as Record<string, string>)[region];
      if (!national) continue;
      const international = `+${getCountryCallingCode(region)}${national}`;
      for (const [text, defaultRegion] of [[international], [national, region], [`${national} ext. 12`, region], [`${international.slice(0, -1)}`]] as [string, string?][]) {
        expect(withOurs(text, defaultRegion), `${region}: ${text}`).toEqual(withFull(text, defaultRegion));
      }
      if (withOurs(international)?.valid) valid += 1;
    }
    expect(valid).toBeGreaterThan(200);
  });

  it('parses arbitrary input as the full metadata does', () => {
    const regions = ['', 'PK', 'GB', 'US', 'DE', 'IN', 'BR', 'RU', 'KZ', 'CA', 'AU', 'XK', 'ZZ'];
    const text = fc.stringMatching(/^(\+|00)?[0-9 ()\-.]{0,20}(ext\.? ?[0-9]{1,4})?$/);
    fc.assert(
      fc.property(text, fc.constantFrom(...regions), (input, region) => {
        expect(withOurs(input, region || undefined)).toEqual(withFull(input, region || undefined));
      }),
      { numRuns: 3000 },
    );
  });
});
