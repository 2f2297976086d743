/** Schema migrations, in order. Never edit a released one: add the next. */
export const MIGRATIONS: string[] = [
  // 1: sessions and their nodes, so a restart takes running sessions back.
  `
  CREATE TABLE sessions (
    id TEXT PRIMARY KEY,
    token_digest BLOB NOT NULL,
    template TEXT NOT NULL,
    swarm INTEGER NOT NULL,
    lesson TEXT,
    network_id TEXT NOT NULL,
    network_name TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    last_activity INTEGER NOT NULL,
    extended_ms INTEGER NOT NULL DEFAULT 0
  );
  CREATE TABLE session_nodes (
    session_id TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    container_id TEXT NOT NULL,
    address TEXT NOT NULL,
    role TEXT,
    PRIMARY KEY (session_id, name)
  );
  `,
];
