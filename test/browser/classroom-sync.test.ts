/**
 * A classroom laptop's results reach the cloud: two servers on loopback, each with its own D1 and
 * Durable Objects. The one the browser tests' global setup starts is the laptop; this file starts
 * the cloud. The laptop takes a quiz and a class from the cloud, plays a session with two students,
 * and sends it, through the laptop's own API (its Worker calls the cloud); an interrupted send
 * resumes, a resend changes nothing, and the cloud's report equals the laptop's.
 */
import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { PlayState, SessionReport, SessionSend } from '../../worker/contract';
import { startServer, type LocalServer } from '../support/local-server';

const LAPTOP = inject('baseUrl');
/** The cloud's port and inspector port: free ones unless given (to keep a run within a range of ports). */
const CLOUD_PORT = Number(process.env.CLOUD_TEST_PORT ?? 0) || undefined;
const CLOUD_INSPECTOR_PORT = Number(process.env.CLOUD_TEST_INSPECTOR_PORT ?? 0) || undefined;

/**
 * One HTTP request, on a connection of its own (`agent: false`). wrangler dev's proxy now and then
 * fails a POST with 503 "Your worker restarted mid-request" although nothing restarted (see
 * test/system/no-lost-answers.ts); such a 503 is tried again. A GET it takes that way is retried by
 * the proxy itself, which can hold it for a minute or two: seen here on the first requests after
 * the laptop's Worker has called the cloud, hence the test's long timeout. The edge has no such proxy.
 */
async function request(
  url: string,
  { method = 'GET', headers = {}, body }: { method?: string; headers?: Record<string, string>; body?: unknown } = {},
) {
  const payload = body === undefined ? undefined : JSON.stringify(body);
  for (let attempt = 1; ; attempt++) {
    const answer = await new Promise<{ status: number; text: string; setCookie: string[] }>((resolve, reject) => {
      const req = httpRequest(url, {
        method,
        agent: false,
        headers: { ...headers, ...(payload === undefined ? {} : { 'Content-Type': 'application/json' }) },
      });
      req.on('response', (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text, setCookie: res.headers['set-cookie'] ?? [] }));
      });
      req.on('error', reject);
      req.end(payload);
    });
    if (answer.status === 503 && answer.text.startsWith('Your worker restarted mid-request') && attempt < 3) continue;
    return { ...answer, json: answer.text ? JSON.parse(answer.text) : null };
  }
}

/** A signed-in teacher's requests to one server (cookie and Origin, as the web app sends them). */
async function teacherOn(base: string, name: string) {
  const email = `${name.replace(/\W/g, '').toLowerCase()}-${Date.now()}@school.example`;
  const res = await request(`${base}/api/auth/register`, {
    method: 'POST',
    headers: { Origin: base },
    body: { email, name, password: 'correct horse battery' },
  });
  expect(res.status, res.text).toBe(201);
  const cookie = /pg_session=[^;]+/.exec(res.setCookie.join(';'))![0];
  return (path: string, body?: unknown, method = body === undefined ? 'GET' : 'POST') =>
    request(`${base}${path}`, { method, headers: { Cookie: cookie, Origin: base }, body });
}

/** A teacher's own single-choice question (right answer `b`). */
const question = (en: string) => ({
  type: 'single',
  stem: { zh: `${en}？`, en: `${en}?` },
  explanation: { zh: '见课文。', en: 'See the text.' },
  options: [
    { id: 'a', text: { zh: '包头', en: 'Baotou' } },
    { id: 'b', text: { zh: '呼和浩特', en: 'Hohhot' } },
  ],
  answer: 'b',
  topics: ['culture'],
  difficulty: 1,
});

/** A student on the laptop: joins, then answers every question with option `pick` (in the served order). */
async function student(code: string, join: Record<string, string>, pick: number) {
  const joined = await request(`${LAPTOP}/api/codes/${code}/participants`, {
    method: 'POST',
    headers: { Origin: LAPTOP },
    body: join,
  });
  expect(joined.status, joined.text).toBe(201);
  const auth = { Authorization: `Bearer ${joined.json.token as string}` };
  for (;;) {
    const state = (await request(`${LAPTOP}/api/play`, { headers: auth })).json as PlayState;
    if (!state.current) break;
    const q = state.current.question;
    const res = await request(`${LAPTOP}/api/play/answers`, {
      method: 'POST',
      headers: auth,
      body: { questionId: q.id, response: { optionId: q.options![pick]!.id } },
    });
    expect(res.status, res.text).toBe(200);
  }
}

let cloud: LocalServer;
beforeAll(async () => {
  cloud = await startServer({ label: 'cloud', port: CLOUD_PORT, inspectorPort: CLOUD_INSPECTOR_PORT, verbose: true });
});
afterAll(() => cloud?.stop());

/** Marks how long each stage took (SYNC_TEST_LOG=1), to find a slow one on a busy machine. */
const started = Date.now();
const mark = (what: string) => {
  if (process.env.SYNC_TEST_LOG) console.log(`${((Date.now() - started) / 1000).toFixed(1)} s: ${what}`);
};

describe('classroom laptop to cloud', () => {
  // Generous: the cloud server is stopped and started again in the middle, and see `request` (on a
  // loaded machine the proxy held such a GET past four minutes once in a full run; alone the test
  // takes 15 s).
  it(
    'sends a session played offline; the cloud report equals the laptop report; resends and interruptions change nothing',
    { timeout: 480_000 },
    async () => {
      // In the cloud workspace: a class, a quiz of own questions, a link token.
      const onCloud = await teacherOn(cloud.base, 'Ms Li');
      const cls = await onCloud('/api/classes', { name: '初二(3)班', roster: ['王芳', '李雷'] });
      expect(cls.status, cls.text).toBe(201);
      const ids: string[] = [];
      for (const stem of ['Where is our school', 'Where is the museum'])
        ids.push((await onCloud('/api/questions', question(stem))).json.id);
      const quiz = await onCloud('/api/quizzes', { title: '第一课', questionIds: ids, settings: { timeLimitSec: 0 } });
      expect(quiz.status, quiz.text).toBe(201);
      const made = await onCloud('/api/link-tokens', { name: 'Room 204 laptop' });
      expect(made.status, made.text).toBe(201);

      mark('cloud workspace ready');
      // On the laptop: link to the cloud, take the quiz and the class.
      const onLaptop = await teacherOn(LAPTOP, 'Ms Li');
      const wrongToken = await onLaptop('/api/cloud/link', { url: cloud.base, token: `pgl_${'x'.repeat(43)}` }, 'PUT');
      expect([wrongToken.status, wrongToken.json.error.code]).toEqual([409, 'link_token_invalid']);
      const link = await onLaptop('/api/cloud/link', { url: `${cloud.base}/`, token: made.json.token }, 'PUT');
      expect(link.status, link.text).toBe(200);
      expect(link.json.link).toMatchObject({ url: cloud.base, account: expect.stringContaining('Ms Li') });
      const pulled = await onLaptop('/api/cloud/pull', {});
      expect(pulled.json).toEqual({ quizzes: 1, classes: 1, questions: 2, skipped: 0 });

      mark('linked and pulled');
      // The lesson, offline: a self-paced session of the cloud's quiz for the cloud's class.
      const s = await onLaptop('/api/sessions', {
        title: '第一课',
        quizId: quiz.json.id,
        classId: cls.json.id,
        allowGuests: true,
      });
      expect(s.status, s.text).toBe(201);
      mark('session opened');
      const roster = (await onLaptop(`/api/classes/${cls.json.id}`)).json.roster as { id: string; name: string }[];
      await student(s.json.code, { rosterId: roster.find((r) => r.name === '王芳')!.id }, 1);
      mark('王芳 played');
      await student(s.json.code, { nickname: 'Amy' }, 0);
      mark('Amy played');
      expect((await onLaptop(`/api/sessions/${s.json.id}/close`, {})).status).toBe(200);
      mark('closed');
      const waiting = (await onLaptop('/api/cloud/sessions')).json as SessionSend[];
      expect(waiting).toEqual([expect.objectContaining({ id: s.json.id, state: 'waiting', sent: 0, total: 2 })]);

      mark('played');
      // Interrupted: one page of one student, then the cloud goes away.
      const send = (body = {}) => onLaptop(`/api/cloud/sessions/${s.json.id}/send`, body);
      expect((await send({ pageSize: 1, maxPages: 1 })).json).toMatchObject({ state: 'sending', sent: 1, total: 2 });
      mark('one page sent');
      await cloud.kill('SIGTERM');
      const offline = await send();
      expect(offline.json).toMatchObject({ state: 'sending', sent: 1, error: { code: 'cloud_unreachable' } });
      mark('send with the cloud away');
      await cloud.start();
      mark('cloud back');
      const done = await send();
      expect(done.json).toMatchObject({ state: 'sent', sent: 2, total: 2, error: null });

      mark('sent');
      const laptopReport = (await onLaptop(`/api/sessions/${s.json.id}/report`)).json as SessionReport;
      const cloudReport = (await onCloud(`/api/sessions/${s.json.id}/report`)).json as SessionReport;
      expect(laptopReport.students.map((st) => st.rosterName ?? st.nickname).sort()).toEqual(['Amy', '王芳']);
      expect(cloudReport).toEqual(laptopReport);
      const classReport = (await onCloud(`/api/classes/${cls.json.id}/report`)).json;
      expect(classReport.students).toEqual(
        expect.arrayContaining([expect.objectContaining({ name: '王芳', sessions: 1 })]),
      );

      // Sent again: nothing changes on the cloud.
      const count = () =>
        cloud.d1<{ p: number; a: number; s: number }>(
          `SELECT (SELECT count(*) FROM participants) AS p, (SELECT count(*) FROM answers) AS a,
                (SELECT sum(score) FROM participants) AS s`,
        );
      const before = await count();
      expect((await send()).json).toMatchObject({ state: 'sent', sent: 2 });
      expect(await count()).toEqual(before);
      expect((await onCloud(`/api/sessions/${s.json.id}/report`)).json).toEqual(laptopReport);

      // The token revoked in the cloud: the next session is refused, with the cloud's reason kept.
      expect((await onCloud(`/api/link-tokens/${made.json.id}`, undefined, 'DELETE')).status).toBe(204);
      const next = await onLaptop('/api/sessions', { title: '第二课', quizId: quiz.json.id });
      expect((await onLaptop(`/api/sessions/${next.json.id}/close`, {})).status).toBe(200);
      const refused = await onLaptop(`/api/cloud/sessions/${next.json.id}/send`, {});
      expect(refused.json).toMatchObject({ state: 'refused', error: { code: 'link_token_invalid' } });
      const states = (await onLaptop('/api/cloud/sessions')).json as SessionSend[];
      expect(states.map((x) => [x.title, x.state])).toEqual([
        ['第二课', 'refused'],
        ['第一课', 'sent'],
      ]);
    },
  );
});
