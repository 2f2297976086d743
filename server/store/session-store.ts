import type { NodeRole, TemplateName } from '../../shared/protocol.js';
import type { SessionRecord } from '../sessions/session.js';
import type { Db } from './database.js';

interface SessionRow {
  id: string;
  token_digest: Buffer;
  template: string;
  swarm: number;
  lesson: string | null;
  network_id: string;
  network_name: string;
  created_at: number;
  last_activity: number;
  extended_ms: number;
  owner_digest: Buffer | null;
  owner_id: string | null;
}

interface NodeRow {
  session_id: string;
  name: string;
  container_id: string;
  address: string;
  role: string | null;
}

/** Sessions as rows. The token itself is never stored, only its digest. */
export class SessionStore {
  private readonly statements;

  constructor(private readonly db: Db) {
    this.statements = {
      upsert: db.prepare(`
        INSERT INTO sessions (id, token_digest, template, swarm, lesson, network_id, network_name, created_at, last_activity, extended_ms, owner_digest, owner_id)
        VALUES (@id, @token_digest, @template, @swarm, @lesson, @network_id, @network_name, @created_at, @last_activity, @extended_ms, @owner_digest, @owner_id)
        ON CONFLICT (id) DO UPDATE SET last_activity = excluded.last_activity, extended_ms = excluded.extended_ms`),
      deleteNodes: db.prepare('DELETE FROM session_nodes WHERE session_id = ?'),
      insertNode: db.prepare('INSERT INTO session_nodes (session_id, name, container_id, address, role) VALUES (?, ?, ?, ?, ?)'),
      touch: db.prepare('UPDATE sessions SET last_activity = ?, extended_ms = ? WHERE id = ?'),
      remove: db.prepare('DELETE FROM sessions WHERE id = ?'),
      all: db.prepare('SELECT * FROM sessions'),
      nodes: db.prepare('SELECT * FROM session_nodes ORDER BY rowid'),
    };
  }

  save(record: SessionRecord): void {
    this.db.transaction(() => {
      this.statements.upsert.run({
        id: record.id,
        token_digest: record.tokenDigest,
        template: record.template,
        swarm: record.swarm ? 1 : 0,
        lesson: record.lesson ?? null,
        network_id: record.network.id,
        network_name: record.network.name,
        created_at: record.createdAt,
        last_activity: record.lastActivity,
        extended_ms: record.extendedMs,
        owner_digest: record.owner?.tokenDigest ?? null,
        owner_id: record.owner?.id ?? null,
      });
      this.statements.deleteNodes.run(record.id);
      for (const node of record.nodes) this.statements.insertNode.run(record.id, node.name, node.id, node.address, node.role ?? null);
    })();
  }

  touch(record: Pick<SessionRecord, 'id' | 'lastActivity' | 'extendedMs'>): void {
    this.statements.touch.run(record.lastActivity, record.extendedMs, record.id);
  }

  remove(id: string): void {
    this.statements.remove.run(id);
  }

  load(): SessionRecord[] {
    const nodes = this.statements.nodes.all() as NodeRow[];
    return (this.statements.all.all() as SessionRow[]).map((row) => ({
      id: row.id,
      tokenDigest: row.token_digest,
      template: row.template as TemplateName | 'custom',
      swarm: row.swarm === 1,
      ...(row.lesson ? { lesson: row.lesson } : {}),
      network: { id: row.network_id, name: row.network_name },
      createdAt: row.created_at,
      lastActivity: row.last_activity,
      extendedMs: row.extended_ms,
      ...(row.owner_digest && row.owner_id ? { owner: { id: row.owner_id, tokenDigest: row.owner_digest } } : {}),
      nodes: nodes
        .filter((node) => node.session_id === row.id)
        .map((node) => ({ name: node.name, id: node.container_id, address: node.address, ...(node.role ? { role: node.role as NodeRole } : {}) })),
    }));
  }
}
