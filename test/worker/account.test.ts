/**
 * A teacher's account: its export (everything it holds, as a JSON download) and its deletion with
 * everything in it. Which rows are an account's is read from the database itself (every table and
 * its foreign keys, from `sqlite_master`), so that a table added later is checked too.
 */
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { ownImageQuestion } from '../responses';
import { JPEG_16x12 } from '../support/images';
import { call, expectError, join, settle, state, teacher, answer, upload } from './helpers';
import { liveRoom, liveWithPlayer, playRoom, roomRows } from './room-storage';

/**
 * Tables that hold no account's rows: rate-limit buckets (keyed hashes, deleted once full again by
 * the retention run), the server's own keys, the migrations' record.
 */
const NOT_AN_ACCOUNTS = ['rate_limits', 'server_secrets', 'question_relations', 'd1_migrations'];

type ForeignKey = { from: string; table: string; to: string };

/** Every table of the app and its foreign keys. */
async function schema(): Promise<Map<string, ForeignKey[]>> {
  const { results } = await env.DB.prepare(
    "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' AND name NOT LIKE '\\_cf\\_%' ESCAPE '\\'",
  ).all<{ name: string }>();
  const tables = new Map<string, ForeignKey[]>();
  for (const { name } of results) {
    const keys = await env.DB.prepare(`SELECT "from", "table", "to" FROM pragma_foreign_key_list(?)`)
      .bind(name)
      .all<ForeignKey>();
    tables.set(name, keys.results);
  }
  return tables;
}

/**
 * A condition selecting the rows of `table` that belong to user `id`: the user's row, and every row
 * that refers by a foreign key to a row that belongs to them (transitively).
 */
function belongs(tables: Map<string, ForeignKey[]>, table: string, id: string, depth = 0): string | null {
  if (table === 'users') return `"users"."id" = '${id}'`;
  if (depth > 8) return null;
  const parts = (tables.get(table) ?? []).flatMap((fk) => {
    const parent = belongs(tables, fk.table, id, depth + 1);
    return parent === null
      ? []
      : [`"${table}"."${fk.from}" IN (SELECT "${fk.table}"."${fk.to}" FROM "${fk.table}" WHERE ${parent})`];
  });
  return parts.length ? `(${parts.join(' OR ')})` : null;
}

/** The rowids of every row that belongs to user `id`, by table. */
async function rowsOf(tables: Map<string, ForeignKey[]>, id: string): Promise<Map<string, number[]>> {
  const rows = new Map<string, number[]>();
  for (const table of tables.keys()) {
    const where = belongs(tables, table, id);
    if (where === null) continue;
    const { results } = await env.DB.prepare(`SELECT rowid AS r FROM "${table}" WHERE ${where}`).all<{ r: number }>();
    rows.set(
      table,
      results.map((x) => x.r),
    );
  }
  return rows;
}

const remaining = async (table: string, rowids: number[]) =>
  (await env.DB.prepare(`SELECT count(*) AS n FROM "${table}" WHERE rowid IN (SELECT value FROM json_each(?))`)
    .bind(JSON.stringify(rowids))
    .first<number>('n'))!;

/** A laptop's cloud link token: never in an export. */
const CLOUD_TOKEN = `pgl_${'k'.repeat(43)}`;

/** A teacher with one of everything: a class with a roster, an own question with an image, a quiz, a self-paced session of the quiz in the class with a student who answered, a live session with a student in its room, a blocklist, two sign-ins. */
async function fullAccount(name: string) {
  const t = await teacher(name);
  const cookie = t.cookie;
  const cls = await call('/api/classes', { cookie, body: { name: `${name}'s class`, roster: ['王芳', 'Amy'] } });
  expect(cls.status, cls.text).toBe(201);
  const image = await upload(cookie, [{ data: JPEG_16x12, name: 'photo.jpg' }]);
  expect(image.status, image.text).toBe(201);
  const q = await call('/api/questions', { cookie, body: ownImageQuestion(image.json) });
  expect(q.status, q.text).toBe(201);
  const quiz = await call('/api/quizzes', { cookie, body: { title: `${name}'s quiz`, questionIds: [q.json.id] } });
  expect(quiz.status, quiz.text).toBe(201);
  const self = await call('/api/sessions', {
    cookie,
    body: { title: `${name}'s homework`, quizId: quiz.json.id, classId: cls.json.id, allowGuests: true },
  });
  expect(self.status, self.text).toBe(201);
  const student = await join(self.json.code, `${name} pupil`);
  const served = (await state(student.token)).current!.question;
  expect((await answer(student.token, served.id, { optionId: served.options![0]!.id })).status).toBe(200);
  const live = await call('/api/sessions', { cookie, body: { title: `${name}'s live game`, mode: 'live', count: 1 } });
  expect(live.status, live.text).toBe(201);
  await liveWithPlayer(live.json, `${name} player`);
  expect((await call('/api/auth/blocklist', { method: 'PUT', cookie, body: { words: ['meanie'] } })).status).toBe(200);
  const again = await call('/api/auth/signin', { body: { email: t.email, password: 'correct horse battery' } });
  expect(again.status).toBe(200);
  // Classroom sync: a link token made here (the cloud's side); a link to a cloud, a session's send
  // state and a session received from a laptop, written as the sync code would (a real send needs a
  // second server: test/browser/classroom-sync.test.ts).
  expect((await call('/api/link-tokens', { cookie, body: { name: `${name}'s laptop` } })).status).toBe(201);
  const now = Date.now();
  await env.DB.batch([
    env.DB.prepare(
      'INSERT INTO cloud_links (user_id, url, token, cloud_account, created_at) VALUES (?, ?, ?, ?, ?)',
    ).bind(t.id, 'https://cloud.example', CLOUD_TOKEN, `${name} · cloud`, now),
    env.DB.prepare("INSERT INTO sync_sends (session_id, state, closed_at, updated_at) VALUES (?, 'sent', ?, ?)").bind(
      self.json.id,
      now,
      now,
    ),
    env.DB.prepare('INSERT INTO sync_receipts (session_id, updated_at) VALUES (?, ?)').bind(live.json.id, now),
  ]);
  return { ...t, self: self.json, live: live.json, student };
}

describe('account export', () => {
  it('downloads everything the account holds as JSON, without secrets', async () => {
    const t = await fullAccount('Ms Export');
    const res = await call('/api/auth/account/export', { cookie: t.cookie });
    expect(res.status, res.text).toBe(200);
    expect(res.headers.get('Content-Disposition')).toMatch(
      /^attachment; filename="pomegranate-account-\d{4}-\d{2}-\d{2}\.json"$/,
    );
    expect(res.headers.get('Cache-Control')).toBe('no-store');
    const data = res.json;
    expect(data.account).toMatchObject({
      id: t.id,
      email: t.email,
      name: 'Ms Export',
      keepResultsDays: 365,
      blockedWords: ['meanie'],
    });
    expect(data.signIns).toHaveLength(2);
    expect(data.classes[0].roster.map((r: { name: string }) => r.name).sort()).toEqual(['Amy', '王芳']);
    expect(data.questions).toHaveLength(1);
    expect(data.images).toEqual([
      expect.objectContaining({ questionId: data.questions[0].id, contentType: 'image/jpeg', width: 16, height: 12 }),
    ]);
    expect(data.quizzes[0].questionIds).toEqual([data.questions[0].id]);
    const homework = data.sessions.find((s: { id: string }) => s.id === t.self.id);
    expect(homework.participants).toEqual([
      expect.objectContaining({ nickname: 'Ms Export pupil', answers: [expect.objectContaining({ position: 0 })] }),
    ]);
    const live = data.sessions.find((s: { id: string }) => s.id === t.live.id);
    expect(live.participants.map((p: { nickname: string }) => p.nickname)).toEqual(['Ms Export player']);
    expect(data.linkTokens).toEqual([expect.objectContaining({ name: "Ms Export's laptop" })]);
    expect(data.cloudLink).toMatchObject({ url: 'https://cloud.example' });
    expect(res.text).not.toContain(CLOUD_TOKEN);
    // Secrets and keyed hashes stay out.
    for (const secret of ['password', 'tokenHash', 'teacherKeyHash', 'idSalt', 'networkKey', 'deviceKey', 'token_hash'])
      expect(res.text).not.toContain(secret);
    expectError(await call('/api/auth/account/export'), 401, 'signed_out');
  });
});

describe('account deletion', () => {
  it('needs the password again', async () => {
    const t = await teacher();
    expectError(await call('/api/auth/account', { method: 'DELETE', cookie: t.cookie, body: {} }), 400, 'invalid_json');
    expectError(
      await call('/api/auth/account', { method: 'DELETE', cookie: t.cookie, body: { password: 'not it at all' } }),
      403,
      'wrong_password',
    );
    expectError(
      await call('/api/auth/account', { method: 'DELETE', body: { password: 'correct horse battery' } }),
      401,
      'signed_out',
    );
    expect((await call('/api/auth/me', { cookie: t.cookie })).status).toBe(200);
  });

  it("leaves no row of the teacher's in any table, nor anything in their sessions' rooms, and touches nobody else's", async () => {
    const leaving = await fullAccount('Ms Leaving');
    const staying = await fullAccount('Mr Staying');
    // The play rooms copy answers to D1 in batches: every answer is in D1 before it is counted.
    await settle(leaving.self.id);
    await settle(staying.self.id);
    const tables = await schema();
    const before = await rowsOf(tables, leaving.id);
    const others = await rowsOf(tables, staying.id);
    // Every table is an account's (and the fixture fills it), or is listed as no account's.
    for (const table of tables.keys()) {
      if (NOT_AN_ACCOUNTS.includes(table)) continue;
      expect(before.get(table)?.length ?? 0, `rows of the account in ${table}`).toBeGreaterThan(0);
    }
    await settle(leaving.self.id);
    expect(await roomRows(playRoom(leaving.self.id))).toBeGreaterThan(0);
    expect(await roomRows(liveRoom(leaving.live.id))).toBeGreaterThan(0);

    const res = await call('/api/auth/account', {
      method: 'DELETE',
      cookie: leaving.cookie,
      body: { password: 'correct horse battery' },
    });
    expect(res.status, res.text).toBe(204);
    expect(res.headers.get('Set-Cookie')).toMatch(/pg_session=;/);

    for (const [table, rowids] of before) expect(await remaining(table, rowids), table).toBe(0);
    for (const [table, rowids] of others) expect(await remaining(table, rowids), table).toBe(rowids.length);
    // Image files are in R2, under the account's prefix.
    const files = async (id: string) => (await env.IMAGES.list({ prefix: `u/${id}/` })).objects.length;
    expect(await files(leaving.id)).toBe(0);
    expect(await files(staying.id)).toBe(1);
    expect(await roomRows(playRoom(leaving.self.id))).toBe(0);
    expect(await roomRows(liveRoom(leaving.live.id))).toBe(0);
    expect(await roomRows(liveRoom(staying.live.id))).toBeGreaterThan(0);
    // Signed out everywhere; the student's device has no seat any more.
    expectError(await call('/api/auth/me', { cookie: leaving.cookie }), 401, 'signed_out');
    expectError(await call('/api/play', { token: leaving.student.token }), 401, 'unauthorized');
    expect((await call('/api/play', { token: staying.student.token })).status).toBe(200);
    // The email is free again.
    const back = await call('/api/auth/signin', { body: { email: leaving.email, password: 'correct horse battery' } });
    expectError(back, 401, 'wrong_credentials');
  });
});
