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
  // 4: checks are keyed by their declared id instead of their position (`<step>.<index>`). Results of the
  // bundled lessons move to the new ids where the check kept its title; positional results of checks that
  // changed meaning (their title changed) are dropped, and the next check run records them afresh.
  `
  CREATE TEMP TABLE check_id_renames (lesson TEXT NOT NULL, old_id TEXT NOT NULL, new_id TEXT NOT NULL);
  INSERT INTO check_id_renames (lesson, old_id, new_id) VALUES
    ('swarm-init', '0.0', 'not-in-swarm-yet'),
    ('swarm-init', '1.0', 'node1-manager'),
    ('swarm-init', '2.0', 'ingress-network'),
    ('swarm-init', '3.0', 'one-manager'),
    ('join-nodes', '0.0', 'node1-leads'),
    ('join-nodes', '2.0', 'node2-worker'),
    ('join-nodes', '3.0', 'token-rotated'),
    ('join-nodes', '4.0', 'node3-removed'),
    ('join-nodes', '5.0', 'node3-manager'),
    ('join-nodes', '6.0', 'three-managers'),
    ('join-nodes', '7.0', 'one-manager-again'),
    ('services', '0.0', 'web-created'),
    ('services', '1.0', 'replica-answers'),
    ('services', '2.0', 'scaled-to-five'),
    ('services', '3.0', 'scaled-to-three'),
    ('services', '4.0', 'self-healed'),
    ('services', '6.0', 'services-removed'),
    ('placement', '0.0', 'workers-only'),
    ('placement', '1.0', 'node2-labelled'),
    ('placement', '3.0', 'volume-only-on-node2'),
    ('stacks', '1.0', 'app-deployed'),
    ('stacks', '4.0', 'dailylog-deployed'),
    ('stacks', '5.0', 'stacks-removed'),
    ('configs-secrets', '0.0', 'config-created'),
    ('configs-secrets', '1.0', 'secrets-created'),
    ('configs-secrets', '2.0', 'mounted-in-service'),
    ('configs-secrets', '3.0', 'mounted-in-stack'),
    ('configs-secrets', '4.0', 'secret-rotated'),
    ('rolling-updates', '0.0', 'update-policy'),
    ('rolling-updates', '1.0', 'policy-tuned'),
    ('rolling-updates', '2.0', 'updated-to-web2'),
    ('rolling-updates', '3.0', 'rolled-back-by-hand'),
    ('rolling-updates', '4.0', 'rolled-back-automatically'),
    ('rolling-updates', '5.0', 'task-history-limit'),
    ('drain-maintenance', '0.0', 'spread-over-five'),
    ('drain-maintenance', '1.0', 'node1-drained'),
    ('drain-maintenance', '2.0', 'updated-while-drained'),
    ('drain-maintenance', '3.0', 'node1-active'),
    ('drain-maintenance', '4.0', 'rebalanced'),
    ('drain-maintenance', '5.0', 'leader-replaced'),
    ('final-exercise', '0.0', 'db-node-labelled'),
    ('final-exercise', '0.1', 'secret-and-network'),
    ('final-exercise', '1.0', 'db-pinned'),
    ('final-exercise', '1.1', 'api-on-workers'),
    ('final-exercise', '1.2', 'front-published');
  UPDATE check_results SET check_id = (
    SELECT new_id FROM check_id_renames r WHERE r.lesson = check_results.lesson AND r.old_id = check_results.check_id
  ) WHERE EXISTS (SELECT 1 FROM check_id_renames r WHERE r.lesson = check_results.lesson AND r.old_id = check_results.check_id);
  DELETE FROM check_results WHERE lesson IN ('configs-secrets', 'drain-maintenance', 'final-exercise', 'join-nodes', 'placement', 'rolling-updates', 'services', 'stacks', 'swarm-init') AND check_id GLOB '[0-9]*.[0-9]*';
  DROP TABLE check_id_renames;
  `,
  // 5: an event may set its class's default language (null: each learner's browser decides).
  `
  ALTER TABLE events ADD COLUMN language TEXT;
  `,
  // 6: earned progress. A check result keeps what was earned (the most points, and when first earned) besides
  // the latest evaluation; the furthest step each owner reached in a lesson; and the baselines recorded when a
  // step opened (fingerprints only, never a join token). Results stored before this were passed honestly at
  // the time, so they count as earned when they were checked.
  `
  ALTER TABLE check_results ADD COLUMN earned_at INTEGER;
  UPDATE check_results SET earned_at = checked_at WHERE passed = 1;
  CREATE TABLE reached_steps (
    owner TEXT NOT NULL,
    lesson TEXT NOT NULL,
    step INTEGER NOT NULL,
    reached_at INTEGER NOT NULL,
    PRIMARY KEY (owner, lesson)
  );
  CREATE TABLE step_baselines (
    owner TEXT NOT NULL,
    lesson TEXT NOT NULL,
    step INTEGER NOT NULL,
    taken_at INTEGER NOT NULL,
    baseline TEXT NOT NULL,
    PRIMARY KEY (owner, lesson, step)
  );
  `,
  // 7: exams and catch-up. An event may be an exam (its window, and when it was graded at the close); a learner's
  // steps that the server caught up for them ("skip to this step") are marked skipped, never earned.
  `
  ALTER TABLE events ADD COLUMN exam_opens_at INTEGER;
  ALTER TABLE events ADD COLUMN exam_closes_at INTEGER;
  ALTER TABLE events ADD COLUMN graded_at INTEGER;
  CREATE TABLE skipped_steps (
    owner TEXT NOT NULL,
    lesson TEXT NOT NULL,
    step INTEGER NOT NULL,
    skipped_at INTEGER NOT NULL,
    PRIMARY KEY (owner, lesson, step)
  );
  `,
  // 8: the instructor may reveal the hidden solutions (the final exercise's) to an event's learners after grading.
  `
  ALTER TABLE events ADD COLUMN solutions_revealed_at INTEGER;
  `,
  // 9: several Docker engines (server/fleet): which engine holds each session's network and nodes, so every later
  // call of a session, and a restart, goes to that engine.
  `
  CREATE TABLE engine_placements (
    resource_id TEXT PRIMARY KEY,
    session_id TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('network', 'node')),
    engine TEXT NOT NULL
  );
  CREATE INDEX engine_placements_session ON engine_placements (session_id);
  `,
  // 10: an operator's drain of an engine outlasts a restart of the server (server/fleet/drain-store.ts).
  `
  CREATE TABLE drained_engines (
    engine TEXT PRIMARY KEY,
    drained_at INTEGER NOT NULL
  );
  `,
];
