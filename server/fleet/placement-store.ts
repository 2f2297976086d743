import type { Db } from '../store/database.js';

export interface Placement {
  resourceId: string;
  sessionId: string;
  kind: 'network' | 'node';
  engine: string;
}

/**
 * Which engine holds each session's network and nodes (migration 9). A node handle carries only its container
 * id, so the id is the key; a restart reads them back before the sessions are taken back.
 */
export class PlacementStore {
  private readonly statements;

  constructor(db: Db) {
    this.statements = {
      put: db.prepare('INSERT OR REPLACE INTO engine_placements (resource_id, session_id, kind, engine) VALUES (@resourceId, @sessionId, @kind, @engine)'),
      remove: db.prepare('DELETE FROM engine_placements WHERE resource_id = ?'),
      removeSession: db.prepare('DELETE FROM engine_placements WHERE session_id = ?'),
      all: db.prepare('SELECT resource_id AS resourceId, session_id AS sessionId, kind, engine FROM engine_placements'),
    };
  }

  put(placement: Placement): void {
    this.statements.put.run(placement);
  }

  remove(resourceId: string): void {
    this.statements.remove.run(resourceId);
  }

  removeSession(sessionId: string): void {
    this.statements.removeSession.run(sessionId);
  }

  all(): Placement[] {
    return this.statements.all.all() as Placement[];
  }
}
