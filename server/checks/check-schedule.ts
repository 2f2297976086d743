import type { Logger } from '../logger.js';
import type { Session } from '../sessions/session.js';

/** A step to re-check in the background: an active learner's current one. */
export interface DueCheck {
  learner: string;
  session: Session;
  lesson: string;
  step: number;
}

/** Where the schedule learns what is due (the classroom's active learners). */
export interface DueChecks {
  dueChecks(): DueCheck[];
}

/**
 * A modest background schedule: every interval, each due step is checked, one learner at a time; a round
 * still running when the next is due makes that one skip. Returns a function that stops it.
 */
export function startCheckSchedule(run: (due: DueCheck) => Promise<unknown>, source: DueChecks, intervalSeconds: number, log: Logger): () => void {
  if (intervalSeconds <= 0) return () => undefined;
  let running = false;
  const timer = setInterval(async () => {
    if (running) return;
    running = true;
    try {
      for (const due of source.dueChecks()) {
        await run(due).catch((error) => log.debug({ err: error, learner: due.learner }, 'scheduled check failed'));
      }
    } finally {
      running = false;
    }
  }, intervalSeconds * 1000);
  timer.unref();
  return () => clearInterval(timer);
}
