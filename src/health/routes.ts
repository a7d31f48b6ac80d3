import { Hono } from 'hono';
import type { AppEnv } from '../http/context';

export const healthRoutes = new Hono<AppEnv>().get('/', (c) => c.json({ status: 'ok' }));
