/**
 * The Pomegranate Worker: the JSON API under /api, one sub-app per resource. Everything else is
 * the web app, served from static assets before this code runs (wrangler.toml `[assets]`).
 */
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { csrf } from 'hono/csrf';
import { secureHeaders } from 'hono/secure-headers';
import type { AppEnv } from './env';
import { ApiError, handleError, handleNotFound } from './lib/errors';
import { authRoute } from './routes/auth';
import { classExportsRoute, sessionExportsRoute } from './routes/exports';
import { bank } from './routes/bank';
import { codesRoute } from './routes/codes';
import { generateRoute } from './routes/generate';
import { health } from './routes/health';
import { hostTicketRoute, liveRoute } from './routes/live';
import { classesRoute } from './routes/classes';
import { playRoute } from './routes/play';
import { questionsRoute } from './routes/questions';
import { quizzesRoute } from './routes/quizzes';
import { classReportRoute, reportsRoute } from './routes/reports';
import { sessionsRoute } from './routes/sessions';

/** Largest request body the API accepts; a real one (an answer, a question) is far smaller. */
const MAX_BODY_BYTES = 16 * 1024;
/** Routes that take a whole text (a GIFT file, an article of 50 000 characters, 3 bytes each in UTF-8). */
const TEXT_ROUTES = new Set(['/api/questions/import', '/api/generate', '/api/generate/accept']);
const MAX_TEXT_BODY_BYTES = 256 * 1024;

const tooLarge = (max: number) => () => {
  throw new ApiError(413, 'body_too_large', `Request bodies are limited to ${max / 1024} KB.`);
};
const smallBodies = bodyLimit({ maxSize: MAX_BODY_BYTES, onError: tooLarge(MAX_BODY_BYTES) });
const textBodies = bodyLimit({ maxSize: MAX_TEXT_BODY_BYTES, onError: tooLarge(MAX_TEXT_BODY_BYTES) });

const app = new Hono<AppEnv>()
  // JSON only: nothing may be framed, run or loaded from an API response.
  .use(
    secureHeaders({
      contentSecurityPolicy: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] },
      referrerPolicy: 'no-referrer',
    }),
  )
  .use('/api/*', (c, next) => (TEXT_ROUTES.has(c.req.path) ? textBodies : smallBodies)(c, next))
  // Cookie-authenticated mutations: a cross-site form post is refused by its Origin (JSON
  // requests cannot be sent cross-site without a CORS preflight, which is never granted).
  .use('/api/*', csrf())
  .route('/api/health', health)
  .route('/api/auth', authRoute)
  .route('/api/bank', bank)
  .route('/api/live', liveRoute)
  .route('/api/sessions', hostTicketRoute)
  .route('/api/sessions', sessionsRoute)
  .route('/api/sessions', reportsRoute)
  .route('/api/sessions', sessionExportsRoute)
  .route('/api/classes', classesRoute)
  .route('/api/classes', classReportRoute)
  .route('/api/classes', classExportsRoute)
  .route('/api/quizzes', quizzesRoute)
  .route('/api/questions', questionsRoute)
  .route('/api/generate', generateRoute)
  .route('/api/codes', codesRoute)
  .route('/api/play', playRoute)
  .notFound(handleNotFound)
  .onError(handleError);

export default app;
export { LiveRoom } from './rooms/live-room';
export { PlayRoom } from './rooms/play-room';
