import type { Router } from 'express';
import type { Config } from '../config.js';
import { checksRouter } from '../http/checks-routes.js';
import type { Lesson } from '../lessons/lesson-types.js';
import type { Logger } from '../logger.js';
import type { SessionManager } from '../sessions/session-manager.js';
import type { Db } from '../store/database.js';
import { CheckRunner } from './check-runner.js';
import { startCheckSchedule, type DueChecks } from './check-schedule.js';
import { ResultStore } from './result-store.js';

export interface ChecksSetup {
  runner: CheckRunner;
  results: ResultStore;
  routers: Array<[string, Router]>;
  /** Re-checks what `source` says is due, every `classroom.checkIntervalSeconds` (0: never). */
  schedule(source: DueChecks): void;
  close(): void;
}

/** Running checks and keeping their results: the runner, the result store, the background schedule and their routes. */
export function setupChecks(deps: { config: Config; db: Db; sessions: SessionManager; lessons: ReadonlyMap<string, Lesson>; log: Logger }): ChecksSetup {
  const results = new ResultStore(deps.db);
  const runner = new CheckRunner(deps.sessions, deps.lessons, results);
  const stops: Array<() => void> = [];
  return {
    runner,
    results,
    routers: [['/sessions', checksRouter(deps.sessions, runner, results, deps.lessons)]],
    schedule(source) {
      stops.push(startCheckSchedule((due) => runner.run(due.session, due.lesson, due.step), source, deps.config.classroom.checkIntervalSeconds, deps.log));
    },
    close() {
      for (const stop of stops.splice(0)) stop();
    },
  };
}
