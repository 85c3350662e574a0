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
import { bank } from './routes/bank';
import { codesRoute } from './routes/codes';
import { health } from './routes/health';
import { classesRoute } from './routes/classes';
import { playRoute } from './routes/play';
import { questionsRoute } from './routes/questions';
import { quizzesRoute } from './routes/quizzes';
import { sessionsRoute } from './routes/sessions';

/** Largest request body the API accepts; the largest real one (an answer) is far smaller. */
export const MAX_BODY_BYTES = 16 * 1024;

const app = new Hono<AppEnv>()
  .use(secureHeaders())
  .use(
    '/api/*',
    bodyLimit({
      maxSize: MAX_BODY_BYTES,
      onError: () => {
        throw new ApiError(413, 'body_too_large', `Request bodies are limited to ${MAX_BODY_BYTES / 1024} KB.`);
      },
    }),
  )
  // Cookie-authenticated mutations: a cross-site form post is refused by its Origin (JSON
  // requests cannot be sent cross-site without a CORS preflight, which is never granted).
  .use('/api/*', csrf())
  .route('/api/health', health)
  .route('/api/auth', authRoute)
  .route('/api/bank', bank)
  .route('/api/sessions', sessionsRoute)
  .route('/api/classes', classesRoute)
  .route('/api/quizzes', quizzesRoute)
  .route('/api/questions', questionsRoute)
  .route('/api/codes', codesRoute)
  .route('/api/play', playRoute)
  .notFound(handleNotFound)
  .onError(handleError);

export default app;
