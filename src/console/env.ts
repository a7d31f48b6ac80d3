import type { Env } from '../env';
import type { AdminEnv } from '../admin/context';

/** The console's Hono env: the admin one, plus the CSRF token of the signed-in session and the parsed form. */
export type ConsoleEnv = {
  Bindings: Env;
  Variables: AdminEnv['Variables'] & { csrf: string; form: Record<string, string> };
};
