import type { Db } from '../store/database.js';

/** The engines an operator drained (migration 10), so a restarted server does not place sessions on them again. */
export class DrainStore {
  private readonly statements;

  constructor(db: Db, private readonly now: () => number = Date.now) {
    this.statements = {
      add: db.prepare('INSERT INTO drained_engines (engine, drained_at) VALUES (?, ?) ON CONFLICT DO NOTHING'),
      remove: db.prepare('DELETE FROM drained_engines WHERE engine = ?'),
      all: db.prepare('SELECT engine FROM drained_engines ORDER BY engine'),
    };
  }

  add(engine: string): void {
    this.statements.add.run(engine, this.now());
  }

  remove(engine: string): void {
    this.statements.remove.run(engine);
  }

  all(): string[] {
    return (this.statements.all.all() as Array<{ engine: string }>).map((row) => row.engine);
  }
}
