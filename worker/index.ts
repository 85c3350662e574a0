/**
 * The Pomegranate Worker: the JSON API under /api, one sub-app per resource. Everything else is
 * the web app, served from static assets before this code runs (wrangler.toml `[assets]`).
 */
import { Hono, type MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { csrf } from 'hono/csrf';
import { HTTPException } from 'hono/http-exception';
import { secureHeaders } from 'hono/secure-headers';
import { IMAGE_LIMITS } from './contract';
import type { AppEnv, Env } from './env';
import { onlyOwnHost } from './lib/classroom';
import { ApiError, handleError, handleNotFound } from './lib/errors';
import { runRetention } from './lib/retention';
import { authRoute } from './routes/auth';
import { classExportsRoute, sessionExportsRoute } from './routes/exports';
import { bank } from './routes/bank';
import { codesRoute } from './routes/codes';
import { generateRoute } from './routes/generate';
import { health, joinOriginRoute } from './routes/health';
import { imagesRoute } from './routes/images';
import { hostTicketRoute, liveRoute } from './routes/live';
import { classesRoute } from './routes/classes';
import { cloudRoute } from './routes/cloud';
import { linkTokensRoute } from './routes/link-tokens';
import { playRoute } from './routes/play';
import { questionsRoute } from './routes/questions';
import { quizzesRoute } from './routes/quizzes';
import { classReportRoute, hideAnswerRoute, reportsRoute } from './routes/reports';
import { sessionsRoute } from './routes/sessions';
import { syncRoute } from './routes/sync';

/** Largest request body the API accepts; a real one (an answer, a question) is far smaller. */
const MAX_BODY_BYTES = 16 * 1024;
/** Routes that take a whole text (a GIFT file, an article of 50 000 characters, 3 bytes each in UTF-8). */
const TEXT_ROUTES = new Set(['/api/questions/import', '/api/generate', '/api/generate/accept']);
const MAX_TEXT_BODY_BYTES = 256 * 1024;
/** An image upload: its files and the multipart framing around them. */
const MAX_IMAGE_BODY_BYTES = IMAGE_LIMITS.maxFiles * IMAGE_LIMITS.maxBytes + 64 * 1024;
/** A classroom laptop's sync steps: a session's questions, or a page of students with their answers. */
const SYNC_PREFIX = '/api/sync/';
const MAX_SYNC_BODY_BYTES = 1024 * 1024;

const tooLarge = (max: number) => () => {
  throw new ApiError(413, 'body_too_large', `Request bodies are limited to ${max / 1024} KB.`);
};
const smallBodies = bodyLimit({ maxSize: MAX_BODY_BYTES, onError: tooLarge(MAX_BODY_BYTES) });
const textBodies = bodyLimit({ maxSize: MAX_TEXT_BODY_BYTES, onError: tooLarge(MAX_TEXT_BODY_BYTES) });
const imageBodies = bodyLimit({ maxSize: MAX_IMAGE_BODY_BYTES, onError: tooLarge(MAX_IMAGE_BODY_BYTES) });
const syncBodies = bodyLimit({ maxSize: MAX_SYNC_BODY_BYTES, onError: tooLarge(MAX_SYNC_BODY_BYTES) });
const bodyLimitOf = (path: string) =>
  path === '/api/images'
    ? imageBodies
    : path.startsWith(SYNC_PREFIX)
      ? syncBodies
      : TEXT_ROUTES.has(path)
        ? textBodies
        : smallBodies;

/**
 * HTTPS only, for a year, subdomains too: the same value as web/public/_headers gives the pages
 * (test/worker/limits.test.ts checks both).
 */
const STRICT_TRANSPORT_SECURITY = 'max-age=31536000; includeSubDomains';

const sameOrigin = csrf();
/**
 * Cookie-authenticated mutations: a cross-site form post is refused by its Origin (JSON requests
 * cannot be sent cross-site without a CORS preflight, which is never granted).
 *
 * A request with an `Authorization` header is let through unchecked: a browser never adds that
 * header to a cross-site request by itself, and a page can add it only through a CORS preflight,
 * which is never granted, so such a request is not forged (students' and teacher links' bearer
 * tokens; a cookie it also carries changes nothing). Scripts using a token need no Origin then.
 * Anything else refused says what to send, instead of hono's bare 403.
 */
const csrfUnlessBearer: MiddlewareHandler<AppEnv> = async (c, next) => {
  if (c.req.header('Authorization')?.startsWith('Bearer ')) return next();
  try {
    await sameOrigin(c, async () => {});
  } catch (err) {
    if (err instanceof HTTPException && err.status === 403)
      throw new ApiError(
        403,
        'origin_required',
        'Send the request from the app, or with an Origin header of this site (cookie-authenticated requests need one).',
      );
    throw err;
  }
  await next();
};

const app = new Hono<AppEnv>()
  // JSON (and images) only: nothing may be framed, run or loaded from an API response. A route's
  // own header wins (images may be shown by other sites: Cross-Origin-Resource-Policy).
  .use(
    secureHeaders({
      contentSecurityPolicy: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] },
      referrerPolicy: 'no-referrer',
      strictTransportSecurity: STRICT_TRANSPORT_SECURITY,
      overwrite: false,
    }),
  )
  // Answers, names, results and rosters are private: no browser or proxy keeps an API response
  // unless its route says it is public (the bank summary sets its own Cache-Control).
  .use('/api/*', async (c, next) => {
    await next();
    if (!c.res.headers.has('Cache-Control')) c.res.headers.set('Cache-Control', 'no-store');
  })
  .use('/api/*', onlyOwnHost)
  .use('/api/*', (c, next) => bodyLimitOf(c.req.path)(c, next))
  .use('/api/*', csrfUnlessBearer)
  .route('/api/health', health)
  .route('/api/join-origin', joinOriginRoute)
  .route('/api/auth', authRoute)
  .route('/api/bank', bank)
  .route('/api/live', liveRoute)
  .route('/api/sessions', hostTicketRoute)
  .route('/api/sessions', sessionsRoute)
  .route('/api/sessions', reportsRoute)
  .route('/api/sessions', hideAnswerRoute)
  .route('/api/sessions', sessionExportsRoute)
  .route('/api/classes', classesRoute)
  .route('/api/classes', classReportRoute)
  .route('/api/classes', classExportsRoute)
  .route('/api/quizzes', quizzesRoute)
  .route('/api/questions', questionsRoute)
  .route('/api/images', imagesRoute)
  .route('/api/generate', generateRoute)
  .route('/api/codes', codesRoute)
  .route('/api/play', playRoute)
  .route('/api/link-tokens', linkTokensRoute)
  .route('/api/sync', syncRoute)
  .route('/api/cloud', cloudRoute)
  .notFound(handleNotFound)
  .onError(handleError);

/** The daily cron (wrangler.toml `[triggers]`): deletes what is kept no longer (./lib/retention.ts). */
async function scheduled(controller: ScheduledController, env: Env, _ctx: ExecutionContext): Promise<void> {
  const report = await runRetention(env, controller.scheduledTime);
  console.log('retention', JSON.stringify(report));
}

// The app itself (its fetch, routes and test helpers) with the cron's handler beside its fetch.
export default Object.assign(app, { scheduled });
export { LiveRoom } from './rooms/live-room';
export { PlayRoom } from './rooms/play-room';
