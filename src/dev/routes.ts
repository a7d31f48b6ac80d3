import { Hono } from 'hono';
import type { AppEnv } from '../http/context';

export const devRoutes = new Hono<AppEnv>();
