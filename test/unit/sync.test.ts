/** The laptop's side of sending to the cloud, pure parts: pages after the cloud's cursor, and each session's send state. */
import { describe, expect, it } from 'vitest';
import { isDue } from '../../worker/contract';
import { pagesAfter } from '../../worker/sync/pages';
import { sendStateOf, type SendRow } from '../../worker/sync/state';

const students = ['a1', 'b2', 'c3', 'd4', 'e5'].map((id) => ({ id, answers: 'x'.repeat(10) }));
const ids = (pages: { id: string }[][]) => pages.map((p) => p.map((s) => s.id));

describe('pagesAfter', () => {
  it('cuts the students after the cursor into pages of the given size', () => {
    expect(ids(pagesAfter(students, null, 2))).toEqual([['a1', 'b2'], ['c3', 'd4'], ['e5']]);
    expect(ids(pagesAfter(students, 'b2', 2))).toEqual([['c3', 'd4'], ['e5']]);
    expect(ids(pagesAfter(students, 'e5', 2))).toEqual([]);
  });

  it('keeps a page under the byte budget, and gives a student larger than it a page of their own', () => {
    const size = JSON.stringify(students[0]).length + 1;
    expect(ids(pagesAfter(students, null, 50, 2 * size))).toEqual([['a1', 'b2'], ['c3', 'd4'], ['e5']]);
    const big = [{ id: 'a', answers: 'x'.repeat(100) }, ...students];
    expect(ids(pagesAfter(big, null, 50, 2 * size))[0]).toEqual(['a']);
  });

  it('counts bytes, not characters: Chinese nicknames are three bytes each in UTF-8', () => {
    const names = ['王芳王芳', '李雷李雷'].map((nickname, i) => ({ id: `p${i}`, nickname }));
    const ascii = JSON.stringify(names[0]).length + 1;
    expect(ids(pagesAfter(names, null, 50, ascii + 2))).toEqual([['p0'], ['p1']]);
  });
});

describe('sendStateOf', () => {
  const session = { id: 's1', title: 'Lesson', closedAt: 1000, students: 3 };
  const row = (over: Partial<SendRow>): SendRow => ({
    state: 'sent',
    closedAt: 1000,
    sent: 3,
    total: 3,
    errorCode: null,
    message: null,
    ...over,
  });

  it('is waiting without a row', () => {
    expect(sendStateOf(session, null)).toEqual({
      id: 's1',
      title: 'Lesson',
      closedAt: 1000,
      state: 'waiting',
      sent: 0,
      total: 3,
      error: null,
    });
  });

  it("is the row's for the same closing, with the cloud's reason", () => {
    const refused = row({ state: 'refused', sent: 0, errorCode: 'class_other_account', message: 'This class…' });
    expect(sendStateOf(session, refused)).toMatchObject({
      state: 'refused',
      error: { code: 'class_other_account', message: 'This class…' },
    });
    expect(sendStateOf(session, row({ state: 'sending', sent: 1 }))).toMatchObject({
      state: 'sending',
      sent: 1,
      total: 3,
    });
  });

  it('is waiting again once the session was reopened and closed since it was sent', () => {
    expect(sendStateOf(session, row({ closedAt: 500 }))).toMatchObject({ state: 'waiting', sent: 0, error: null });
  });

  it('is due (sent by itself) while waiting or interrupted, not once sent or refused', () => {
    const states = (['waiting', 'sending', 'sent', 'refused'] as const).map((state) =>
      isDue({ ...sendStateOf(session, null), state }),
    );
    expect(states).toEqual([true, true, false, false]);
  });
});
