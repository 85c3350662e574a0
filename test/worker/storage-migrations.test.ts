/** Versioned schema steps in the rooms' own storage: each step once per object, old objects adopted. */
import { abortAllDurableObjects, runInDurableObject } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { LIVE_STORAGE } from '../../worker/live/store';
import { hasOwnTables, migrate, schemaVersion } from '../../worker/rooms/storage-migrations';
import { roomOf } from './live-client';

/** A play room nobody used: its constructor leaves its storage empty, a clean slate for `migrate`. */
const blankRoom = (name: string) => env.PLAY_ROOM.get(env.PLAY_ROOM.idFromName(`migrations-${name}`));

const tables = (sql: SqlStorage) =>
  sql
    .exec<{ name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
    .toArray()
    .map((r) => r.name);

const versions = (sql: SqlStorage) =>
  sql
    .exec<{ version: number }>('SELECT version FROM _migrations ORDER BY version')
    .toArray()
    .map((r) => r.version);

describe('migrate', () => {
  it('applies each step once, in order, and later only the steps added since', async () => {
    await runInDurableObject(blankRoom('once'), (_room, state) => {
      const { sql } = state.storage;
      const steps = ['CREATE TABLE log (n INTEGER)', 'INSERT INTO log VALUES (1)'];
      expect(schemaVersion(sql)).toBe(0);
      expect(migrate(state.storage, steps)).toBe(2);
      expect(migrate(state.storage, steps)).toBe(0);
      expect(migrate(state.storage, [...steps, 'INSERT INTO log VALUES (2); INSERT INTO log VALUES (3)'])).toBe(1);
      expect(
        sql
          .exec<{ n: number }>('SELECT n FROM log ORDER BY n')
          .toArray()
          .map((r) => r.n),
      ).toEqual([1, 2, 3]);
      expect(versions(sql)).toEqual([1, 2, 3]);
    });
  });

  it('leaves a failed step unapplied and unrecorded, so that it runs again next time', async () => {
    await runInDurableObject(blankRoom('failing'), (_room, state) => {
      const { sql } = state.storage;
      const broken = ['CREATE TABLE a (x INTEGER)', 'CREATE TABLE b (x INTEGER); INSERT INTO missing VALUES (1)'];
      expect(() => migrate(state.storage, broken)).toThrow();
      expect(schemaVersion(sql)).toBe(1);
      expect(tables(sql)).toEqual(['_migrations', 'a']);
      expect(migrate(state.storage, ['CREATE TABLE a (x INTEGER)', 'CREATE TABLE b (x INTEGER)'])).toBe(1);
      expect(versions(sql)).toEqual([1, 2]);
    });
  });

  it('leaves storage that is ahead of the code (after a rollback) as it is', async () => {
    await runInDurableObject(blankRoom('ahead'), (_room, state) => {
      migrate(state.storage, ['CREATE TABLE a (x INTEGER)', 'CREATE TABLE b (x INTEGER)']);
      expect(migrate(state.storage, ['CREATE TABLE a (x INTEGER)'])).toBe(0);
      expect(schemaVersion(state.storage.sql)).toBe(2);
    });
  });
});

describe('the rooms', () => {
  // A step applied twice would fail on its record's primary key, and with it the room's constructor.
  it('a live room applies its steps when first constructed, and not again when constructed again', async () => {
    await runInDurableObject(roomOf('migrations-live'), (_room, state) => {
      expect(versions(state.storage.sql)).toEqual(LIVE_STORAGE.map((_, i) => i + 1));
      state.storage.sql.exec(`INSERT INTO meta (k, v) VALUES ('probe', '1')`);
    });
    // A stub does not outlive the instance it reached: the next one constructs the object afresh.
    await abortAllDurableObjects();
    await runInDurableObject(roomOf('migrations-live'), (_room, state) => {
      expect(versions(state.storage.sql)).toEqual(LIVE_STORAGE.map((_, i) => i + 1));
      expect(state.storage.sql.exec(`SELECT v FROM meta WHERE k = 'probe'`).toArray()).toHaveLength(1);
    });
  });

  it('a live room made before versions were recorded keeps its data and gets its version', async () => {
    await runInDurableObject(roomOf('migrations-legacy'), (_room, state) => {
      // As such a room was: the tables of step 1, some data, no record.
      state.storage.sql.exec('DROP TABLE _migrations');
      state.storage.sql.exec(`INSERT INTO meta (k, v) VALUES ('probe', '1')`);
    });
    await abortAllDurableObjects();
    await runInDurableObject(roomOf('migrations-legacy'), (_room, state) => {
      expect(versions(state.storage.sql)).toEqual(LIVE_STORAGE.map((_, i) => i + 1));
      expect(state.storage.sql.exec(`SELECT v FROM meta WHERE k = 'probe'`).toArray()).toHaveLength(1);
    });
  });

  it('a play room stores nothing until it has something to store, and adopts a room made before', async () => {
    await runInDurableObject(blankRoom('play'), (_room, state) => {
      expect(hasOwnTables(state.storage.sql)).toBe(false);
      // A room made before versions were recorded, with a row waiting for D1.
      state.storage.sql.exec('CREATE TABLE pending_progress (id TEXT PRIMARY KEY, row TEXT, version INTEGER)');
      state.storage.sql.exec(`INSERT INTO pending_progress VALUES ('p1', '{}', 1)`);
    });
    await abortAllDurableObjects();
    await runInDurableObject(blankRoom('play'), (_room, state) => {
      const { sql } = state.storage;
      expect(versions(sql)).toEqual([1, 2, 3]);
      expect(tables(sql)).toEqual([
        '_migrations',
        'pending_answers',
        'pending_participants',
        'pending_progress',
        'room',
      ]);
      expect(sql.exec('SELECT id FROM pending_progress').toArray()).toEqual([{ id: 'p1' }]);
    });
  });
});
