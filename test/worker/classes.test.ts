import { describe, expect, it } from 'vitest';
import { call, join, settle, teacher } from './helpers';

describe('lists count what they hold', () => {
  it('counts roster names, sessions and participants per class, and questions per quiz', async () => {
    const t = await teacher();
    const cls = (await call('/api/classes', { cookie: t.cookie, body: { name: 'C', roster: ['甲', '乙', '丙'] } }))
      .json;
    const s = (
      await call('/api/sessions', {
        cookie: t.cookie,
        body: { title: 'S', classId: cls.id, count: 2, allowGuests: true },
      })
    ).json;
    await join(s.code, 'One');
    await join(s.code, 'Two');
    // The seats reach D1 with the room's next copy (a quarter of a second): the class page reads D1.
    await settle(s.id);
    await call('/api/quizzes', {
      cookie: t.cookie,
      body: { title: 'Q', questionIds: ['int-001', 'int-002', 'int-003'] },
    });
    expect((await call('/api/classes', { cookie: t.cookie })).json.classes[0]).toMatchObject({
      roster: 3,
      sessions: 1,
    });
    expect((await call(`/api/classes/${cls.id}`, { cookie: t.cookie })).json.sessions[0].participants).toBe(2);
    expect((await call('/api/quizzes', { cookie: t.cookie })).json.quizzes[0].questionCount).toBe(3);
  });
});
