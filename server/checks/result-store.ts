import type { GradedCheck } from '../../shared/lesson-protocol.js';
import type { Db } from '../store/database.js';

/** The latest result of each check, per owner (a learner, or `session:<id>` for a self-paced learner). */
export interface StoredCheckResult {
  owner: string;
  lesson: string;
  checkId: string;
  step: number;
  title: string;
  passed: boolean;
  earned: number;
  possible: number;
  /** Failed assertions: expected, actual, message and its findings (never a secret's value: the checker never reads one). */
  detail: GradedCheck['failures'];
  checkedAt: number;
}

interface Row {
  owner: string; lesson: string; check_id: string; step: number; title: string; passed: number; earned: number;
  possible: number; detail: string; checked_at: number;
}

export class ResultStore {
  constructor(private readonly db: Db) {}

  save(results: StoredCheckResult[]): void {
    const upsert = this.db.prepare(`
      INSERT INTO check_results (owner, lesson, check_id, step, title, passed, earned, possible, detail, checked_at)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
      ON CONFLICT (owner, lesson, check_id) DO UPDATE SET step = excluded.step, title = excluded.title, passed = excluded.passed,
        earned = excluded.earned, possible = excluded.possible, detail = excluded.detail, checked_at = excluded.checked_at`);
    this.db.transaction(() => {
      for (const r of results) upsert.run(r.owner, r.lesson, r.checkId, r.step, r.title, r.passed ? 1 : 0, r.earned, r.possible, JSON.stringify(r.detail), r.checkedAt);
    })();
  }

  forOwner(owner: string, lesson?: string): StoredCheckResult[] {
    const rows = (lesson
      ? this.db.prepare('SELECT * FROM check_results WHERE owner = ? AND lesson = ?').all(owner, lesson)
      : this.db.prepare('SELECT * FROM check_results WHERE owner = ?').all(owner)) as Row[];
    return rows.map((row) => ({
      owner: row.owner, lesson: row.lesson, checkId: row.check_id, step: row.step, title: row.title, passed: row.passed === 1,
      earned: row.earned, possible: row.possible, detail: JSON.parse(row.detail), checkedAt: row.checked_at,
    }));
  }
}
