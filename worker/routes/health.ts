import { Hono } from 'hono';
import type { AppEnv } from '../env';
import { joinOriginBody } from '../lib/classroom';

/** `GET /api/health`, for scripts and monitors: no database call, always `{ ok: true }`. */
export const health = new Hono<AppEnv>().get('/', (c) => c.json({ ok: true }));

/** `GET /api/join-origin`: where join links and QR codes point (../lib/classroom). */
export const joinOriginRoute = new Hono<AppEnv>().get('/', (c) => c.json(joinOriginBody(c.env)));
