/**
 * Refused request bodies name each refused field and why, in words the web app translates, so a
 * Chinese screen never shows the validator's English sentence.
 */
import { describe, expect, it } from 'vitest';
import { call, expectError, teacher } from './helpers';

describe('validation errors', () => {
  it('lists the missing, wrong and unknown fields of a new session', async () => {
    const res = await call('/api/sessions', { body: { count: 0, timeLimitSec: 'slow', colour: 'red' } });
    expectError(res, 400, 'invalid_json');
    expect(res.json.error.fields).toEqual(
      expect.arrayContaining([
        { path: 'title', problem: 'required' },
        { path: 'count', problem: 'too_small' },
        { path: 'timeLimitSec', problem: 'wrong_type' },
        { path: 'colour', problem: 'unknown_field' },
      ]),
    );
  });

  it('tells a text that is too long, a value not allowed and a malformed email apart', async () => {
    const long = await call('/api/sessions', { body: { title: 'x'.repeat(81), mode: 'race' } });
    expectError(long, 400, 'invalid_json');
    expect(long.json.error.fields).toEqual(
      expect.arrayContaining([
        { path: 'title', problem: 'too_long' },
        { path: 'mode', problem: 'not_allowed' },
      ]),
    );
    const signup = await call('/api/auth/register', {
      body: { email: 'not-an-email', name: 'Ms Li', password: 'short' },
    });
    expectError(signup, 400, 'invalid_json');
    expect(signup.json.error.fields).toEqual([
      { path: 'email', problem: 'wrong_format' },
      { path: 'password', problem: 'too_short' },
    ]);
  });

  it('answers a bad path parameter with invalid_param and its field', async () => {
    const { cookie } = await teacher();
    const res = await call('/api/classes/%20', { cookie });
    expectError(res, 400, 'invalid_param');
    expect(res.json.error.fields).toEqual([{ path: 'id', problem: 'wrong_format' }]);
  });
});
