import type { RequestContext } from '../http/request-context';
import { staticAsset } from '../http/static-asset';
import { parsePhoneMetadata, PHONE_METADATA_ASSET, type PhoneMetadata } from '../config/phone';
import { normalizePhone } from './normalize';

/**
 * The phone metadata, read from the static assets once per isolate and only when a phone
 * number is to be read, or a 503 when it cannot be read. Fail closed: without it no number
 * can be read, and reading none as invalid would refuse valid numbers (a 400 the client
 * would not retry) or, at sign-in, look the number up as a username.
 */
export const phoneMetadata = staticAsset<PhoneMetadata>(
  PHONE_METADATA_ASSET,
  parsePhoneMetadata,
  'Phone numbers cannot be read right now; try again later.',
);

/** A phone number as the client wrote it -> its E.164 form, or null when it is not a valid one. */
export type ReadPhone = (phone: string) => Promise<string | null>;

/** Reads numbers as normalizePhone does with DEFAULT_PHONE_REGION, loading the metadata on first use. */
export function phoneReader(ctx: Pick<RequestContext, 'env' | 'config' | 'log'>): ReadPhone {
  return async (phone) => normalizePhone(phone, ctx.config.defaultPhoneRegion, await phoneMetadata(ctx.env.ASSETS, ctx.log));
}
