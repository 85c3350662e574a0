import { Hono } from 'hono';
import type { AppEnv } from '../env';

/** `GET /api/health`, for scripts and monitors: no database call, always `{ ok: true }`. */
export const health = new Hono<AppEnv>().get('/', (c) => c.json({ ok: true }));
