/**
 * Roster names as seats: in a session of a class with a roster, students pick their name (one seat
 * per name), guests join only when the teacher lets them, the teacher frees a name, the dashboard
 * says who is absent and the class report lists each child once, absences included.
 */
import { describe, expect, it } from 'vitest';
import type { ClassReport, CodeLookup, CreatedSession, Joined } from '../../worker/contract';
import { call, expectError, join, openSession, teacher, teacherView } from './helpers';

const ROSTER = ['王芳', '李雷', '张伟'];

/** A teacher, their class with the roster above, and a session opened for it. */
async function classSession(extra: Record<string, unknown> = {}) {
  const t = await teacher();
  const cls = (await call('/api/classes', { cookie: t.cookie, body: { name: '初二(3)班', roster: ROSTER } })).json;
  const open = async (title: string, more: Record<string, unknown> = {}): Promise<CreatedSession> => {
    const res = await call('/api/sessions', {
      cookie: t.cookie,
      body: { title, classId: cls.id, count: 2, ...extra, ...more },
    });
    expect(res.status, res.text).toBe(201);
    return res.json;
  };
  return { t, cls, s: await open('第一课'), open };
}

const lookup = async (code: string): Promise<CodeLookup> => {
  const res = await call(`/api/codes/${code}`);
  expect(res.status, res.text).toBe(200);
  return res.json;
};
/** Each roster name with whether it is taken, as the join page gets them. */
const takenByName = (l: CodeLookup) => Object.fromEntries(l.roster!.names.map((n) => [n.name, n.taken]));
const idOf = (l: CodeLookup, name: string) => l.roster!.names.find((n) => n.name === name)!.id;
const joinWith = (code: string, body: Record<string, unknown>) => call(`/api/codes/${code}/participants`, { body });

describe('picking one’s name', () => {
  it('lists the roster, gives a picked name one seat, refuses guests until the teacher lets them in', async () => {
    const { s } = await classSession();
    const first = await lookup(s.code);
    expect(first.roster!.allowGuests).toBe(false);
    expect(takenByName(first)).toEqual({ 王芳: false, 李雷: false, 张伟: false });
    const wangFang = idOf(first, '王芳');

    const picked = await joinWith(s.code, { rosterId: wangFang });
    expect(picked.status, picked.text).toBe(201);
    expect((picked.json as Joined).nickname).toBe('王芳');
    expect((await teacherView(s)).participants).toMatchObject([{ nickname: '王芳', rosterId: wangFang }]);
    expectError(await joinWith(s.code, { rosterId: wangFang }), 409, 'name_taken');
    expect(takenByName(await lookup(s.code))).toEqual({ 王芳: true, 李雷: false, 张伟: false });

    // Typing a name that is taken is no way round it; typing another nickname is a guest.
    expectError(await joinWith(s.code, { nickname: '王芳' }), 409, 'name_taken');
    expectError(await joinWith(s.code, { nickname: 'Amy' }), 409, 'guests_not_allowed');
    const patched = await call(`/api/sessions/${s.id}`, {
      method: 'PATCH',
      token: s.teacherKey,
      body: { allowGuests: true },
    });
    expect(patched.json).toMatchObject({ allowGuests: true });
    expect((await lookup(s.code)).roster!.allowGuests).toBe(true);
    expect((await join(s.code, 'Amy')).nickname).toBe('Amy');

    // A nickname that is a free roster name, folded as nicknames are, is that name.
    expect((await join(s.code, ' 李雷 ')).nickname).toBe('李雷');
    const view = await teacherView(s);
    expect(view.session.allowGuests).toBe(true);
    expect(view.participants.map((p) => [p.nickname, p.rosterId])).toEqual([
      ['王芳', wangFang],
      ['Amy', null],
      ['李雷', idOf(first, '李雷')],
    ]);
    expect(view.absent).toEqual([{ id: idOf(first, '张伟'), name: '张伟' }]);
  });

  it('gives a name to one of two devices that pick it at once', async () => {
    const { s } = await classSession();
    const zhangWei = idOf(await lookup(s.code), '张伟');
    const tries = await Promise.all([1, 2, 3].map(() => joinWith(s.code, { rosterId: zhangWei })));
    expect(tries.map((r) => r.status).sort()).toEqual([201, 409, 409]);
    expect((await teacherView(s)).participants).toHaveLength(1);
  });

  it('refuses a name from another class, and a nickname with a name', async () => {
    const { s } = await classSession();
    const other = await classSession();
    const elsewhere = idOf(await lookup(other.s.code), '王芳');
    expectError(await joinWith(s.code, { rosterId: elsewhere }), 404, 'roster_entry_not_found');
    expectError(await joinWith(s.code, { nickname: '王芳', rosterId: elsewhere }), 400, 'invalid_json');
    expectError(await joinWith(s.code, {}), 400, 'invalid_json');
  });

  it('shows no roster for a session without a class, or once it has closed', async () => {
    const quick = await openSession();
    expect((await lookup(quick.code)).roster).toBeNull();
    const { t, s, cls, open } = await classSession();
    const rosterId = idOf(await lookup(s.code), '王芳');
    const classless = (await call('/api/sessions', { cookie: t.cookie, body: { title: 'S', count: 2 } })).json;
    expect((await lookup(classless.code)).roster).toBeNull();
    expectError(await joinWith(classless.code, { rosterId }), 404, 'roster_entry_not_found');
    expect((await teacherView(classless)).absent).toEqual([]);
    // A class without a roster: nicknames as ever.
    await call(`/api/classes/${cls.id}`, { method: 'PUT', cookie: t.cookie, body: { roster: [] } });
    const bare = await open('空名单');
    expect((await lookup(bare.code)).roster).toBeNull();
    expect((await join(bare.code, 'Amy')).nickname).toBe('Amy');
    await call(`/api/classes/${cls.id}`, { method: 'PUT', cookie: t.cookie, body: { roster: ROSTER } });
    await call(`/api/sessions/${s.id}/close`, { method: 'POST', token: s.teacherKey });
    expect((await lookup(s.code)).roster).toBeNull();
  });
});

describe('freeing a name', () => {
  it('frees a name when the teacher unlinks or removes its seat', async () => {
    const { t, s } = await classSession({ allowGuests: true });
    const wangFang = idOf(await lookup(s.code), '王芳');
    await joinWith(s.code, { rosterId: wangFang });
    const wrong = (await teacherView(s)).participants[0]!;
    const unlinked = await call(`/api/sessions/${s.id}/participants/${wrong.id}/roster`, {
      method: 'PUT',
      cookie: t.cookie,
      body: { rosterId: null },
    });
    // The seat gives the name up, so that the child it belongs to can pick it.
    expect(unlinked.json).toEqual({ id: wrong.id, rosterId: null, nickname: '王芳 (2)' });
    expect(takenByName(await lookup(s.code)).王芳).toBe(false);
    expect((await joinWith(s.code, { rosterId: wangFang })).status).toBe(201);
    const view = await teacherView(s);
    expect(view.participants.map((p) => [p.nickname, p.rosterId])).toEqual([
      ['王芳 (2)', null],
      ['王芳', wangFang],
    ]);
    expectError(
      await call(`/api/sessions/${s.id}/participants/${wrong.id}/roster`, {
        method: 'PUT',
        cookie: t.cookie,
        body: { rosterId: wangFang },
      }),
      409,
      'name_taken',
    );
    // A nickname of its own stays when unlinked; a removed seat frees its name too.
    await join(s.code, 'Amy');
    const amy = (await teacherView(s)).participants.find((p) => p.nickname === 'Amy')!;
    const zhangWei = idOf(await lookup(s.code), '张伟');
    const link = (rosterId: string | null) =>
      call(`/api/sessions/${s.id}/participants/${amy.id}/roster`, {
        method: 'PUT',
        cookie: t.cookie,
        body: { rosterId },
      });
    await link(zhangWei);
    expect(takenByName(await lookup(s.code)).张伟).toBe(true);
    expect((await link(null)).json.nickname).toBe('Amy');
    expect(takenByName(await lookup(s.code)).张伟).toBe(false);
    const picked = view.participants.find((p) => p.rosterId === wangFang)!;
    await call(`/api/sessions/${s.id}/participants/${picked.id}`, { method: 'DELETE', cookie: t.cookie });
    expect(takenByName(await lookup(s.code)).王芳).toBe(false);
  });
});

describe('class report with a roster', () => {
  it('lists each roster name once, absent where it had no seat, and nicknames apart', async () => {
    const { t, cls, s, open } = await classSession({ allowGuests: true });
    const ids = await lookup(s.code);
    await joinWith(s.code, { rosterId: idOf(ids, '王芳') });
    await joinWith(s.code, { rosterId: idOf(ids, '李雷') });
    await join(s.code, 'Amy');
    const second = await open('第二课');
    await joinWith(second.code, { rosterId: idOf(ids, '李雷') });
    await join(second.code, 'amy');
    expect((await teacherView(second)).absent.map((a) => a.name).sort()).toEqual(['张伟', '王芳'].sort());

    const res = await call(`/api/classes/${cls.id}/report`, { cookie: t.cookie });
    expect(res.status, res.text).toBe(200);
    const r: ClassReport = res.json;
    const student = (name: string) => r.students.filter((x) => x.name === name);
    expect(r.students).toHaveLength(3);
    expect(student('王芳')).toMatchObject([{ sessions: 1, absentFrom: [second.id] }]);
    expect(student('李雷')).toMatchObject([{ sessions: 2, absentFrom: [] }]);
    expect(student('张伟')).toMatchObject([{ sessions: 0, average: 0, trend: [], absentFrom: [s.id, second.id] }]);
    expect(r.nicknames).toMatchObject([{ name: 'Amy', sessions: 2 }]);
  });
});

describe('extra time per roster student', () => {
  it('stretches a linked student’s time per question, or takes the clock away, and only for them', async () => {
    const { t, cls, s } = await classSession({ timeLimitSec: 30, allowGuests: true });
    const ids = Object.fromEntries(
      ((await call(`/api/classes/${cls.id}`, { cookie: t.cookie })).json.roster as { id: string; name: string }[]).map(
        (r) => [r.name, r.id],
      ),
    );
    const setTime = (rid: string, timeFactor: unknown, cookie = t.cookie) =>
      call(`/api/classes/${cls.id}/roster/${rid}`, { method: 'PUT', cookie, body: { timeFactor } });
    const doubled = await setTime(ids['王芳']!, 2);
    expect(doubled.json).toEqual({ id: ids['王芳'], name: '王芳', timeFactor: 2 });
    expect((await setTime(ids['李雷']!, 0)).status).toBe(200);
    expectError(await setTime(ids['张伟']!, 3), 400, 'invalid_json');
    expectError(await setTime(ids['张伟']!, 2, (await teacher('Mr Other')).cookie), 404, 'class_not_found');

    const limits = async (body: Record<string, unknown>) => {
      const { token } = (await joinWith(s.code, body)).json as Joined;
      const st = (await call('/api/play', { token })).json;
      return [st.current.limitMs, st.current.remainingMs === null ? null : 'counting'];
    };
    expect(await limits({ rosterId: ids['王芳'] })).toEqual([60_000, 'counting']);
    expect(await limits({ rosterId: ids['李雷'] })).toEqual([0, null]);
    expect(await limits({ rosterId: ids['张伟'] })).toEqual([30_000, 'counting']);
    expect(await limits({ nickname: 'Guest' })).toEqual([30_000, 'counting']);
  });
});
