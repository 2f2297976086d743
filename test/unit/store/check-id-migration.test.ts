import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { MIGRATIONS } from '../../../server/store/migrations.js';

describe('migration 4: check results keyed by declared check ids', () => {
  it('renames positional ids of the bundled lessons and drops those whose check changed meaning', () => {
    const db = new Database(':memory:');
    for (const migration of MIGRATIONS.slice(0, 3)) db.exec(migration);
    const insert = db.prepare("INSERT INTO check_results VALUES (?, ?, ?, 0, 't', 1, 1, 1, '[]', 0)");
    insert.run('ada', 'join-nodes', '2.0');
    insert.run('ada', 'services', '5.0'); // the global service check now asks for host mode: not the same check
    insert.run('ada', 'my-own-lesson', '0.0'); // a lesson of this site's own, not ours to touch
    db.exec(MIGRATIONS[3]);
    const rows = db.prepare('SELECT lesson, check_id FROM check_results ORDER BY lesson').all();
    expect(rows).toEqual([
      { lesson: 'join-nodes', check_id: 'node2-worker' },
      { lesson: 'my-own-lesson', check_id: '0.0' },
    ]);
  });
});
