import type { EventLanguage } from '../../shared/classroom-protocol.js';
import type { Db } from '../store/database.js';

export interface EventRecord {
  id: string;
  name: string;
  joinCode: string;
  lessons: string[];
  capacity: number;
  opensAt?: number;
  closesAt?: number;
  warmPool: number;
  createdAt: number;
  endedAt?: number;
  language?: EventLanguage;
  /** An exam: joins only inside its window, no hints or solutions during it, every learner graded at its close. */
  exam?: { opensAt: number; closesAt: number };
  /** When the exam's learners were graded (at its close). */
  gradedAt?: number;
  /** When the instructor revealed the lessons' hidden solutions to this event's learners. */
  solutionsRevealedAt?: number;
}

export interface LearnerRecord {
  id: string;
  eventId: string;
  displayName: string;
  tokenDigest: Buffer;
  sessionId?: string;
  lesson?: string;
  step: number;
  stepStartedAt: number;
  joinedAt: number;
  lastSeen: number;
}

interface EventRow {
  id: string; name: string; join_code: string; lessons: string; capacity: number; opens_at: number | null;
  closes_at: number | null; warm_pool: number; created_at: number; ended_at: number | null; language: string | null;
  exam_opens_at: number | null; exam_closes_at: number | null; graded_at: number | null;
  solutions_revealed_at: number | null;
}
interface LearnerRow {
  id: string; event_id: string; display_name: string; token_digest: Buffer; session_id: string | null; lesson: string | null;
  step: number; step_started_at: number; joined_at: number; last_seen: number;
}

const eventOf = (row: EventRow): EventRecord => ({
  id: row.id, name: row.name, joinCode: row.join_code, lessons: JSON.parse(row.lessons) as string[], capacity: row.capacity,
  ...(row.opens_at !== null ? { opensAt: row.opens_at } : {}), ...(row.closes_at !== null ? { closesAt: row.closes_at } : {}),
  warmPool: row.warm_pool, createdAt: row.created_at, ...(row.ended_at !== null ? { endedAt: row.ended_at } : {}),
  ...(row.language !== null ? { language: row.language as EventLanguage } : {}),
  ...(row.exam_opens_at !== null && row.exam_closes_at !== null ? { exam: { opensAt: row.exam_opens_at, closesAt: row.exam_closes_at } } : {}),
  ...(row.graded_at !== null ? { gradedAt: row.graded_at } : {}),
  ...(row.solutions_revealed_at !== null ? { solutionsRevealedAt: row.solutions_revealed_at } : {}),
});

const learnerOf = (row: LearnerRow): LearnerRecord => ({
  id: row.id, eventId: row.event_id, displayName: row.display_name, tokenDigest: row.token_digest,
  ...(row.session_id ? { sessionId: row.session_id } : {}), ...(row.lesson ? { lesson: row.lesson } : {}),
  step: row.step, stepStartedAt: row.step_started_at, joinedAt: row.joined_at, lastSeen: row.last_seen,
});

/** Events and their learners as rows. */
export class EventStore {
  constructor(private readonly db: Db) {}

  insertEvent(event: EventRecord): void {
    this.db
      .prepare('INSERT INTO events (id, name, join_code, lessons, capacity, opens_at, closes_at, warm_pool, created_at, language, exam_opens_at, exam_closes_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)')
      .run(event.id, event.name, event.joinCode, JSON.stringify(event.lessons), event.capacity, event.opensAt ?? null, event.closesAt ?? null, event.warmPool, event.createdAt, event.language ?? null, event.exam?.opensAt ?? null, event.exam?.closesAt ?? null);
  }

  markSolutionsRevealed(id: string, at: number): void {
    this.db.prepare('UPDATE events SET solutions_revealed_at = COALESCE(solutions_revealed_at, ?) WHERE id = ?').run(at, id);
  }

  markGraded(id: string, at: number): void {
    this.db.prepare('UPDATE events SET graded_at = ? WHERE id = ?').run(at, id);
  }

  endEvent(id: string, at: number): void {
    this.db.prepare('UPDATE events SET ended_at = ? WHERE id = ?').run(at, id);
  }

  event(id: string): EventRecord | undefined {
    const row = this.db.prepare('SELECT * FROM events WHERE id = ?').get(id) as EventRow | undefined;
    return row && eventOf(row);
  }

  eventByCode(code: string): EventRecord | undefined {
    const row = this.db.prepare('SELECT * FROM events WHERE join_code = ?').get(code) as EventRow | undefined;
    return row && eventOf(row);
  }

  events(): EventRecord[] {
    return (this.db.prepare('SELECT * FROM events ORDER BY created_at DESC').all() as EventRow[]).map(eventOf);
  }

  learnerCount(eventId: string): number {
    return (this.db.prepare('SELECT COUNT(*) AS n FROM learners WHERE event_id = ?').get(eventId) as { n: number }).n;
  }

  insertLearner(learner: LearnerRecord): void {
    this.db
      .prepare('INSERT INTO learners (id, event_id, display_name, token_digest, session_id, lesson, step, step_started_at, joined_at, last_seen) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)')
      .run(learner.id, learner.eventId, learner.displayName, learner.tokenDigest, learner.sessionId ?? null, learner.lesson ?? null, learner.step, learner.stepStartedAt, learner.joinedAt, learner.lastSeen);
  }

  updateLearner(learner: LearnerRecord): void {
    this.db
      .prepare('UPDATE learners SET session_id = ?, lesson = ?, step = ?, step_started_at = ?, last_seen = ? WHERE id = ?')
      .run(learner.sessionId ?? null, learner.lesson ?? null, learner.step, learner.stepStartedAt, learner.lastSeen, learner.id);
  }

  deleteLearner(id: string): void {
    this.db.prepare('DELETE FROM learners WHERE id = ?').run(id);
  }

  learner(id: string): LearnerRecord | undefined {
    const row = this.db.prepare('SELECT * FROM learners WHERE id = ?').get(id) as LearnerRow | undefined;
    return row && learnerOf(row);
  }

  learnerByToken(digest: Buffer): LearnerRecord | undefined {
    const row = this.db.prepare('SELECT * FROM learners WHERE token_digest = ?').get(digest) as LearnerRow | undefined;
    return row && learnerOf(row);
  }

  learners(eventId: string): LearnerRecord[] {
    return (this.db.prepare('SELECT * FROM learners WHERE event_id = ? ORDER BY joined_at').all(eventId) as LearnerRow[]).map(learnerOf);
  }
}
