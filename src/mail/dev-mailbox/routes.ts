import { Hono, type Context } from 'hono';
import type { AppEnv } from '../../http/context';
import { ApiError, validationError } from '../../http/errors';
import { clearDevMail, listDevMail, mailboxAddress } from './mailbox';

/**
 * Development helpers. They exist only in development with the dev transport (the only
 * one that fills the mailbox); anywhere else every route here answers 404, as if absent.
 */
export const devRoutes = new Hono<AppEnv>();

devRoutes.use('*', async (c, next) => {
  const config = c.get('config');
  if (!config.isDevelopment || config.mailTransport !== 'dev') throw new ApiError('not_found');
  await next();
});

devRoutes.get('/mailbox', async (c) => {
  const messages = await listDevMail(c.env.KV, recipientParam(c));
  return c.json({ messages });
});

devRoutes.delete('/mailbox', async (c) => {
  await clearDevMail(c.env.KV, recipientParam(c));
  return c.body(null, 204);
});

function recipientParam(c: Context<AppEnv>): string {
  const to = mailboxAddress(c.req.query('to') ?? '');
  if (!to) throw validationError({ to: ['This query parameter is required.'] });
  return to;
}
