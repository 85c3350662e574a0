/** A teacher's classes with their rosters. Another teacher's class answers 404. */
import { Hono } from 'hono';
import { and, asc, desc, eq, sql } from 'drizzle-orm';
import * as z from 'zod';
import { classes, rosterEntries, sessions } from '../../db/schema';
import type { AppEnv } from '../env';
import { randomToken } from '../lib/crypto';
import { database, type Database } from '../lib/db';
import { ApiError } from '../lib/errors';
import { requireTeacher } from '../lib/teacher-auth';
import { validate } from '../lib/validate';
import { changed } from '../lib/play-rooms';
import { createClassBody, recordId, rosterAccommodationBody, updateClassBody } from '../requests';

const idParam = z.object({ id: recordId });
const rosterColumns = { id: rosterEntries.id, name: rosterEntries.name, timeFactor: rosterEntries.timeFactor };

/** The teacher's class, or 404. */
export async function ownClass(db: Database, id: string, ownerId: string) {
  const found = await db.query.classes.findFirst({ where: and(eq(classes.id, id), eq(classes.ownerId, ownerId)) });
  if (!found) throw new ApiError(404, 'class_not_found', 'There is no such class.');
  return found;
}

/** Makes the roster exactly `names`: adds the new ones, drops the missing ones (their links fall back to nicknames). */
function setRoster(db: Database, classId: string, names: string[]) {
  return [
    // json_each, not a list of parameters: D1 binds at most 100 per statement.
    db
      .delete(rosterEntries)
      .where(
        and(
          eq(rosterEntries.classId, classId),
          sql`${rosterEntries.name} NOT IN (SELECT value FROM json_each(${JSON.stringify(names)}))`,
        ),
      ),
    ...names.map((n) =>
      db
        .insert(rosterEntries)
        .values({ id: randomToken(12), classId, name: n })
        .onConflictDoNothing(),
    ),
  ];
}

export const classesRoute = new Hono<AppEnv>()
  .use(requireTeacher)
  .get('/', async (c) => {
    const db = database(c.env.DB);
    const rows = await db
      .select({
        id: classes.id,
        name: classes.name,
        createdAt: classes.createdAt,
        // Spelled out: in a one-table select drizzle leaves `classes.id` unqualified, and inside the
        // subquery a bare "id" would be the inner table's own.
        roster: sql<number>`(SELECT count(*) FROM roster_entries r WHERE r.class_id = classes.id)`,
        sessions: sql<number>`(SELECT count(*) FROM sessions s WHERE s.class_id = classes.id)`,
      })
      .from(classes)
      .where(eq(classes.ownerId, c.get('teacher').id))
      .orderBy(desc(classes.createdAt));
    return c.json({ classes: rows });
  })
  .post('/', validate('json', createClassBody), async (c) => {
    const body = c.req.valid('json');
    const db = database(c.env.DB);
    const id = randomToken(12);
    await db.batch([
      db.insert(classes).values({ id, ownerId: c.get('teacher').id, name: body.name, createdAt: Date.now() }),
      ...setRoster(db, id, body.roster),
    ]);
    return c.json({ id, name: body.name, roster: body.roster.length }, 201);
  })
  .get('/:id', validate('param', idParam), async (c) => {
    const db = database(c.env.DB);
    const found = await ownClass(db, c.req.valid('param').id, c.get('teacher').id);
    const [entries, list] = await db.batch([
      db
        .select(rosterColumns)
        .from(rosterEntries)
        .where(eq(rosterEntries.classId, found.id))
        .orderBy(asc(rosterEntries.name)),
      db
        .select({
          id: sessions.id,
          title: sessions.title,
          code: sessions.code,
          status: sessions.status,
          createdAt: sessions.createdAt,
          participants: sql<number>`(SELECT count(*) FROM participants p WHERE p.session_id = sessions.id)`,
        })
        .from(sessions)
        .where(eq(sessions.classId, found.id))
        .orderBy(desc(sessions.createdAt)),
    ]);
    return c.json({ id: found.id, name: found.name, createdAt: found.createdAt, roster: entries, sessions: list });
  })
  .put('/:id', validate('param', idParam), validate('json', updateClassBody), async (c) => {
    const db = database(c.env.DB);
    const found = await ownClass(db, c.req.valid('param').id, c.get('teacher').id);
    const body = c.req.valid('json');
    await db.batch([
      db
        .update(classes)
        .set({ name: body.name ?? found.name })
        .where(eq(classes.id, found.id)),
      ...(body.roster ? setRoster(db, found.id, body.roster) : []),
    ]);
    const entries = await db
      .select(rosterColumns)
      .from(rosterEntries)
      .where(eq(rosterEntries.classId, found.id))
      .orderBy(asc(rosterEntries.name));
    return c.json({ id: found.id, name: body.name ?? found.name, roster: entries });
  })
  .put(
    '/:id/roster/:rid',
    validate('param', z.object({ id: recordId, rid: recordId })),
    validate('json', rosterAccommodationBody),
    async (c) => {
      const db = database(c.env.DB);
      const { id, rid } = c.req.valid('param');
      const found = await ownClass(db, id, c.get('teacher').id);
      const { timeFactor } = c.req.valid('json');
      const [entry] = await db
        .update(rosterEntries)
        .set({ timeFactor })
        .where(and(eq(rosterEntries.id, rid), eq(rosterEntries.classId, found.id)))
        .returning(rosterColumns);
      if (!entry) throw new ApiError(404, 'roster_entry_not_found', "That name is not on this class's roster.");
      // Open self-paced sessions of the class time this student anew from their next question.
      const open = await db
        .select({ id: sessions.id, mode: sessions.mode })
        .from(sessions)
        .where(and(eq(sessions.classId, found.id), eq(sessions.status, 'open')));
      await Promise.all(open.map((s) => changed(c.env, s)));
      return c.json(entry);
    },
  )
  .delete('/:id', validate('param', idParam), async (c) => {
    const db = database(c.env.DB);
    const found = await ownClass(db, c.req.valid('param').id, c.get('teacher').id);
    // Its sessions stay (with their answers) and simply belong to no class any more.
    await db.delete(classes).where(eq(classes.id, found.id));
    return c.body(null, 204);
  });
