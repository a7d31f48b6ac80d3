import { Hono } from 'hono';
import type { AppEnv } from '../http/context';
import { clock } from '../clock';
import { getKeySet } from './keys';
import * as z from 'zod';
import { documented } from '../http/openapi';

/**
 * GET /.well-known/jwks.json: the public keys (current first, then previous) so other
 * services verify our tokens offline. Cacheable for 5 minutes; verifiers that meet an
 * unknown kid are expected to refetch (jose's createRemoteJWKSet does).
 */
const jwksSchema = z.object({ keys: z.array(z.looseObject({ kty: z.string(), kid: z.string(), alg: z.string(), use: z.literal('sig') })) });

export const jwksRoutes = new Hono<AppEnv>().get('/', documented({ tags: ['keys'], summary: 'Public signing keys (JWKS), current first', auth: 'none', responses: { 200: jwksSchema } }), async (c) => {
  const { jwks } = await getKeySet(c.env, clock.now());
  c.header('Cache-Control', 'public, max-age=300');
  return c.json(jwks);
});
