import type { GradedFailure } from '../../shared/lesson-protocol.js';
import type { Db } from '../store/database.js';
import type { StepBaseline } from './baseline.js';

export type { StepBaseline };

/** A failed assertion as stored: kind, both values, the sentence and each difference (probe output never). */
export type StoredFinding = GradedFailure;

/**
 * A check's result for one owner (a learner, or `session:<id>` for a self-paced learner): the latest
 * evaluation (`passed`, `detail`, `checkedAt`: what holds now) and what was earned (`earned` points and
 * `earnedAt`), which only a reset of the lesson takes away. See earning.ts for the rule.
 */
export interface StoredCheckResult {
  owner: string;
  lesson: string;
  checkId: string;
  step: number;
  title: string;
  /** The latest evaluation passed: the check holds now. */
  passed: boolean;
  /** Points earned: the most the check ever earned while the owner had reached its step. */
  earned: number;
  possible: number;
  /** The latest evaluation's failed assertions. */
  detail: StoredFinding[];
  checkedAt: number;
  /** When the check was first earned; unset while it is not earned. */
  earnedAt?: number;
}


interface Row {
  owner: string; lesson: string; check_id: string; step: number; title: string; passed: number; earned: number;
  possible: number; detail: string; checked_at: number; earned_at: number | null;
}

/** Check results, the furthest step each owner reached per lesson, and the baselines of the steps they opened. */
export class ResultStore {
  constructor(private readonly db: Db) {}

  save(results: StoredCheckResult[]): void {
    const upsert = this.db.prepare(`
      INSERT INTO check_results (owner, lesson, check_id, step, title, passed, earned, possible, detail, checked_at, earned_at)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
      ON CONFLICT (owner, lesson, check_id) DO UPDATE SET step = excluded.step, title = excluded.title, passed = excluded.passed,
        earned = excluded.earned, possible = excluded.possible, detail = excluded.detail, checked_at = excluded.checked_at,
        earned_at = excluded.earned_at`);
    this.db.transaction(() => {
      for (const r of results) {
        upsert.run(r.owner, r.lesson, r.checkId, r.step, r.title, r.passed ? 1 : 0, r.earned, r.possible, JSON.stringify(r.detail), r.checkedAt, r.earnedAt ?? null);
      }
    })();
  }

  forOwner(owner: string, lesson?: string): StoredCheckResult[] {
    const rows = (lesson
      ? this.db.prepare('SELECT * FROM check_results WHERE owner = ? AND lesson = ?').all(owner, lesson)
      : this.db.prepare('SELECT * FROM check_results WHERE owner = ?').all(owner)) as Row[];
    return rows.map((row) => ({
      owner: row.owner, lesson: row.lesson, checkId: row.check_id, step: row.step, title: row.title, passed: row.passed === 1,
      earned: row.earned, possible: row.possible, detail: JSON.parse(row.detail), checkedAt: row.checked_at,
      ...(row.earned_at !== null ? { earnedAt: row.earned_at } : {}),
    }));
  }

  /** The furthest step the owner has been on in the lesson, if any. */
  reachedStep(owner: string, lesson: string): number | undefined {
    const row = this.db.prepare('SELECT step FROM reached_steps WHERE owner = ? AND lesson = ?').get(owner, lesson) as { step: number } | undefined;
    return row?.step;
  }

  /** Records that the owner is on `step`; the reached step only ever moves forward. Returns the reached step. */
  reach(owner: string, lesson: string, step: number, at: number): number {
    this.db.prepare(`
      INSERT INTO reached_steps (owner, lesson, step, reached_at) VALUES (?, ?, ?, ?)
      ON CONFLICT (owner, lesson) DO UPDATE SET step = excluded.step, reached_at = excluded.reached_at WHERE excluded.step > reached_steps.step`)
      .run(owner, lesson, step, at);
    return this.reachedStep(owner, lesson)!;
  }

  baselines(owner: string, lesson: string): Map<number, StepBaseline> {
    const rows = this.db.prepare('SELECT step, taken_at, baseline FROM step_baselines WHERE owner = ? AND lesson = ?').all(owner, lesson) as Array<{ step: number; taken_at: number; baseline: string }>;
    return new Map(rows.map((row) => [row.step, { ...(JSON.parse(row.baseline) as Omit<StepBaseline, 'takenAt'>), takenAt: row.taken_at }]));
  }

  /** Keeps the first baseline of a step: a later one would hide what happened since the step opened. */
  saveBaseline(owner: string, lesson: string, step: number, baseline: StepBaseline): void {
    const { takenAt, ...rest } = baseline;
    this.db.prepare('INSERT INTO step_baselines (owner, lesson, step, taken_at, baseline) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING')
      .run(owner, lesson, step, takenAt, JSON.stringify(rest));
  }

  /** Marks steps the server caught up for the owner ("skip to this step"): their checks are never earned. */
  markSkipped(owner: string, lesson: string, steps: readonly number[], at: number): void {
    const insert = this.db.prepare('INSERT INTO skipped_steps (owner, lesson, step, skipped_at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING');
    this.db.transaction(() => {
      for (const step of steps) insert.run(owner, lesson, step, at);
    })();
  }

  skippedSteps(owner: string, lesson: string): number[] {
    const rows = this.db.prepare('SELECT step FROM skipped_steps WHERE owner = ? AND lesson = ? ORDER BY step').all(owner, lesson) as Array<{ step: number }>;
    return rows.map((row) => row.step);
  }

  /** A reset of the lesson for the owner: results, reached step, baselines and skipped marks go, so it starts afresh. */
  resetLesson(owner: string, lesson: string): void {
    this.db.transaction(() => {
      for (const table of ['check_results', 'reached_steps', 'step_baselines', 'skipped_steps']) {
        this.db.prepare(`DELETE FROM ${table} WHERE owner = ? AND lesson = ?`).run(owner, lesson);
      }
    })();
  }
}
