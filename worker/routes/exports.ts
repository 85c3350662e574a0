/**
 * The CSV files of the reports, in the teacher's language and the school's time zone: every
 * answer of a session, the session's student × question grid (for the owner or the session's key,
 * like its report), and a class's student × session grid (for its teacher). The rows are built by
 * ../reports/sheets and written by ../reports/csv (BOM, CRLF, formulas neutralised).
 */
import { Hono, type Context } from 'hono';
import { asc, eq, notInArray, sql } from 'drizzle-orm';
import * as z from 'zod';
import { questions, sessions } from '../../db/schema';
import { UNGRADED_TYPES } from '../contract';
import type { AppEnv } from '../env';
import { database, type Database } from '../lib/db';
import { settle } from '../lib/play-rooms';
import { managedSession } from '../lib/session-access';
import { requireTeacher } from '../lib/teacher-auth';
import { validate } from '../lib/validate';
import { exportQuery, gridQuery, recordId } from '../requests';
import { toCsv, type CsvValue } from '../reports/csv';
import { SHEET_WORDS } from '../reports/headers';
import { localClock } from '../reports/local-time';
import { answerSheet, classSheet, gridSheet, type SessionResults } from '../reports/sheets';
import { ownClass } from './classes';
import { classSeats, loadSession, settleClass } from './reports';

const idParam = z.object({ id: recordId });

/**
 * A CSV download: an ASCII `filename` for old clients, and `title` (a session's or class's, in any
 * script) as the UTF-8 `filename*` that browsers prefer.
 */
function csvFile(c: Context<AppEnv>, rows: CsvValue[][], filename: string, title: string) {
  const safeTitle = title.replace(/[^\p{L}\p{N}_-]+/gu, '-').slice(0, 60) || 'export';
  return c.body(toCsv(rows), 200, {
    'Content-Type': 'text/csv; charset=utf-8',
    'Content-Disposition': `attachment; filename="${filename}.csv"; filename*=UTF-8''${encodeURIComponent(`${safeTitle}.csv`)}`,
    'Cache-Control': 'no-store',
  });
}

/** A session's results as the sheets take them. */
async function sessionResults(db: Database, sessionId: string): Promise<SessionResults> {
  const { qs, board, roster, rows } = await loadSession(db, sessionId);
  return {
    questions: qs,
    students: board.map((b) => ({ ...b, rosterName: roster.get(b.id) ?? null })),
    answers: rows,
  };
}

export const sessionExportsRoute = new Hono<AppEnv>()
  .get('/:id/export.csv', validate('param', idParam), validate('query', exportQuery), async (c) => {
    const { lang, tz } = c.req.valid('query');
    const session = await managedSession(c, c.req.valid('param').id);
    await settle(c.env, session);
    const results = await sessionResults(database(c.env.DB), session.id);
    return csvFile(
      c,
      answerSheet(results, lang, localClock(tz)),
      `pomegranate-${session.code}`,
      `${session.title}-${SHEET_WORDS[lang].answersFile}`,
    );
  })
  .get('/:id/grid.csv', validate('param', idParam), validate('query', gridQuery), async (c) => {
    const { lang, value } = c.req.valid('query');
    const session = await managedSession(c, c.req.valid('param').id);
    await settle(c.env, session);
    const results = await sessionResults(database(c.env.DB), session.id);
    return csvFile(
      c,
      gridSheet(results, lang, value),
      `pomegranate-${session.code}-grid`,
      `${session.title}-${SHEET_WORDS[lang].gridFile}`,
    );
  });

export const classExportsRoute = new Hono<AppEnv>()
  .use(requireTeacher)
  .get('/:id/grid.csv', validate('param', idParam), validate('query', exportQuery), async (c) => {
    const { lang, tz } = c.req.valid('query');
    const db = database(c.env.DB);
    const cls = await ownClass(db, c.req.valid('param').id, c.get('teacher').id);
    await settleClass(c.env, db, cls.id);
    const [list, roster, seats] = await db.batch([
      db
        .select({
          id: sessions.id,
          title: sessions.title,
          createdAt: sessions.createdAt,
          // Spelled out: in a one-table select drizzle leaves `sessions.id` unqualified. Polls and
          // open questions are neither right nor wrong: a percent right leaves them out.
          gradedCount: sql<number>`(SELECT count(*) FROM session_questions sq JOIN questions ON questions.id = sq.question_id
            WHERE sq.session_id = sessions.id AND ${notInArray(questions.type, [...UNGRADED_TYPES])})`,
        })
        .from(sessions)
        .where(eq(sessions.classId, cls.id))
        .orderBy(asc(sessions.createdAt)),
      ...classSeats(db, cls.id),
    ]);
    return csvFile(
      c,
      classSheet({ sessions: list, roster, seats }, lang, localClock(tz)),
      'pomegranate-class-grid',
      `${cls.name}-${SHEET_WORDS[lang].gridFile}`,
    );
  });
