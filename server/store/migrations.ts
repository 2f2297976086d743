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
  // 2: classroom: the instructor's credential, events, learners, check results and grade reports.
  `
  ALTER TABLE sessions ADD COLUMN owner_digest BLOB;
  CREATE TABLE instructor (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    password_hash TEXT NOT NULL,
    updated_at INTEGER NOT NULL
  );
  CREATE TABLE instructor_tokens (
    digest BLOB PRIMARY KEY,
    expires_at INTEGER NOT NULL
  );
  CREATE TABLE events (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    join_code TEXT NOT NULL UNIQUE,
    lessons TEXT NOT NULL,
    capacity INTEGER NOT NULL,
    opens_at INTEGER,
    closes_at INTEGER,
    warm_pool INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL,
    ended_at INTEGER
  );
  CREATE TABLE learners (
    id TEXT PRIMARY KEY,
    event_id TEXT REFERENCES events(id) ON DELETE CASCADE,
    display_name TEXT NOT NULL,
    token_digest BLOB NOT NULL,
    session_id TEXT,
    lesson TEXT,
    step INTEGER NOT NULL DEFAULT 0,
    step_started_at INTEGER NOT NULL,
    joined_at INTEGER NOT NULL,
    last_seen INTEGER NOT NULL
  );
  CREATE INDEX learners_by_event ON learners(event_id);
  CREATE UNIQUE INDEX learners_by_name ON learners(event_id, display_name);
  CREATE TABLE check_results (
    owner TEXT NOT NULL,
    lesson TEXT NOT NULL,
    check_id TEXT NOT NULL,
    step INTEGER NOT NULL,
    title TEXT NOT NULL,
    passed INTEGER NOT NULL,
    earned REAL NOT NULL,
    possible REAL NOT NULL,
    detail TEXT NOT NULL,
    checked_at INTEGER NOT NULL,
    PRIMARY KEY (owner, lesson, check_id)
  );
  `,
  // 3: a learner's session names the learner, so checks know whose results they are without asking the classroom.
  `
  ALTER TABLE sessions ADD COLUMN owner_id TEXT;
  UPDATE sessions SET owner_id = (SELECT id FROM learners WHERE learners.session_id = sessions.id) WHERE owner_digest IS NOT NULL;
  `,
];
