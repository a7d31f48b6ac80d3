import { Hono } from 'hono';
import type { AppEnv } from '../http/context';
import * as z from 'zod';
import { documented } from '../http/openapi';

/** The answer of a healthy service. A misconfigured one never gets here (configGuard). */
export const healthRoutes = new Hono<AppEnv>().get('/', documented({ tags: ['health'], summary: 'Liveness', auth: 'none', responses: { 200: z.object({ status: z.literal('ok') }) } }), (c) => c.json({ status: 'ok' }));

/** What /health answers, with 503, when production lacks a secret or setting. */
export const MISCONFIGURED_HEALTH = { status: 'misconfigured' } as const;

/** The paths healthRoutes is mounted at (app.ts), with or without a trailing slash. */
export function isHealthCheck(path: string): boolean {
  return /^\/(api\/v1\/)?health\/?$/.test(path);
}
