import { Hono } from 'hono';
import type { AppEnv } from '../http/context';
import { clock } from '../clock';
import { getKeySet } from './keys';

/**
 * GET /.well-known/jwks.json: the public keys (current first, then previous) so other
 * services verify our tokens offline. Cacheable for 5 minutes; verifiers that meet an
 * unknown kid are expected to refetch (jose's createRemoteJWKSet does).
 */
export const jwksRoutes = new Hono<AppEnv>().get('/', async (c) => {
  const { jwks } = await getKeySet(c.env, clock.now());
  c.header('Cache-Control', 'public, max-age=300');
  return c.json(jwks);
});
