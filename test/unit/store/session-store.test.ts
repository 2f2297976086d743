import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../server/config.js';
import { createLogger } from '../../../server/logger.js';
import { SessionManager } from '../../../server/sessions/session-manager.js';
import { migrate, openDatabase } from '../../../server/store/database.js';
import { MIGRATIONS } from '../../../server/store/migrations.js';
import { SessionStore } from '../../../server/store/session-store.js';
import { FakeNodeBackend } from '../../support/fake-node-backend.js';

describe('database', () => {
  it('migrates a new database to the latest schema once', () => {
    const db = openDatabase(':memory:');
    expect(db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
    expect(migrate(db)).toBe(MIGRATIONS.length);
  });

  it("names a learner's session's owner when upgrading from schema 2, from the learner who has it", () => {
    const db = new Database(':memory:');
    for (const migration of MIGRATIONS.slice(0, 2)) db.exec(migration);
    db.pragma('user_version = 2');
    const digest = Buffer.alloc(32, 7);
    const insert = db.prepare("INSERT INTO sessions (id, token_digest, template, swarm, network_id, network_name, created_at, last_activity, owner_digest) VALUES (?, ?, 'single', 0, 'n', 'n', 0, 0, ?)");
    insert.run('owned', Buffer.alloc(32, 1), digest);
    insert.run('selfpaced', Buffer.alloc(32, 2), null);
    db.prepare("INSERT INTO learners (id, display_name, token_digest, session_id, step_started_at, joined_at, last_seen) VALUES ('ada', 'Ada', ?, 'owned', 0, 0, 0)").run(digest);
    migrate(db);
    const owners = Object.fromEntries(new SessionStore(db).load().map((record) => [record.id, record.owner]));
    expect(owners).toEqual({ owned: { id: 'ada', tokenDigest: digest }, selfpaced: undefined });
  });

  it('refuses a database newer than the server', () => {
    const db = openDatabase(':memory:');
    db.pragma(`user_version = ${MIGRATIONS.length + 1}`);
    expect(() => migrate(db)).toThrow(/newer than this server knows/);
  });
});

describe('sessions across a restart', () => {
  const config = loadConfig({ overrides: { sessions: { idleMinutes: 1, maxMinutes: 10 } } });

  it('takes back a session whose nodes still run, with its token, roles and clock', async () => {
    const db = openDatabase(':memory:');
    const backend = new FakeNodeBackend();
    let now = 1_000_000;
    const first = new SessionManager(backend, config, createLogger('silent'), () => now, new SessionStore(db));
    await first.start();
    const created = await first.create({ template: 'swarm-1m2w', swarm: true, lesson: 'services' });
    await first.stop();
    expect(backend.nodes.size).toBe(3);

    now += 10_000;
    const second = new SessionManager(backend, config, createLogger('silent'), () => now, new SessionStore(db));
    await second.start();
    const session = second.authorize(created.id, created.token);
    const view = await second.view(session);
    expect(view).toMatchObject({ id: created.id, lesson: 'services', swarm: true });
    expect(view.nodes.map((n) => `${n.name}:${n.role}:${n.status}`)).toEqual(['node1:manager:running', 'node2:worker:running', 'node3:worker:running']);
    expect(() => second.authorize(created.id, 'wrong')).toThrow(expect.objectContaining({ status: 403 }));
    await second.stop({ endSessions: true });
    expect(new SessionStore(db).load()).toEqual([]);
  });

  it('drops a stored session whose nodes are all gone, and sweeps containers nothing owns', async () => {
    const db = openDatabase(':memory:');
    const backend = new FakeNodeBackend();
    const first = new SessionManager(backend, config, createLogger('silent'), Date.now, new SessionStore(db));
    const gone = await first.create({ template: 'single', swarm: false });
    await first.stop();
    backend.nodes.clear();
    const orphan = await backend.createNode('nobody', { id: 'x', name: 'x' }, 'node1');
    const second = new SessionManager(backend, config, createLogger('silent'), Date.now, new SessionStore(db));
    await second.start();
    expect(second.ids()).toEqual([]);
    expect(backend.nodes.has(orphan.id)).toBe(false);
    expect(() => second.authorize(gone.id, gone.token)).toThrow(expect.objectContaining({ status: 404 }));
    await second.stop();
  });
});
