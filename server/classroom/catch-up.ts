import type { ExecResultView } from '../../shared/protocol.js';
import type { StoredCheckResult } from '../checks/result-store.js';
import { lessonProgress } from '../checks/lesson-progress.js';
import { HttpError } from '../errors.js';
import { blockCommand } from '../lessons/block-command.js';
import type { Lesson } from '../lessons/lesson-types.js';
import { computePlaceholderValues } from '../lessons/placeholder-values.js';
import { listPlaceholders } from '../lessons/placeholders.js';
import type { Session } from '../sessions/session.js';
import type { NodeExec } from '../sessions/session-manager.js';

/** What catching up needs of the sessions: a command on a node, and live values (join tokens) for placeholders. */
export interface CatchUpSessions {
  exec(session: Session, node: string, command: string, timeoutSeconds?: number): Promise<ExecResultView>;
  nodeExec(session: Session, profile: 'lookup'): NodeExec;
}

/** Solutions may form a swarm or pull an image; they get as long as the lesson runner gives them (the config caps it). */
const BLOCK_SECONDS = 180;

/**
 * Runs the lesson's steps `from` up to (not including) `to` in the session's nodes: every runnable and solution
 * block of each step, in lesson order, the commands the lesson runner (prove-lesson.ts) runs, built the same way
 * (block-command.ts). Placeholders are filled from the live cluster before each block, since an earlier block
 * may be what creates them (a swarm's join token). Stops at the first block that fails and is not allowed to.
 */
export async function catchUp(sessions: CatchUpSessions, session: Session, lesson: Lesson, from: number, to: number): Promise<void> {
  for (const step of lesson.steps.slice(from, to)) {
    for (const block of step.blocks) {
      if (!session.nodes.has(block.node)) throw new HttpError(409, 'no_such_node', `step ${step.index + 1} runs on ${block.node}, which this session does not have`);
      const values = await computePlaceholderValues([...session.nodes.values()], sessions.nodeExec(session, 'lookup'), listPlaceholders(block.content));
      const ran = await sessions.exec(session, block.node, blockCommand(block, values), BLOCK_SECONDS);
      if (ran.exitCode !== 0 && !block.allowFail) {
        throw new HttpError(409, 'catch_up_failed', `catching up stopped at step ${step.index + 1} "${step.title}" (block ${block.index} on ${block.node} exited ${ran.exitCode}): ${ran.output.trim().slice(-300)}`);
      }
    }
  }
}

/** What finding where to start needs of progress: the owner's results and the steps skipped before. */
export interface CatchUpProgress {
  forOwner(owner: string, lesson: string): StoredCheckResult[];
  skippedSteps(owner: string, lesson: string): number[];
}

/**
 * Where catching up to `step` starts: the step after the last one before it that the owner completed (every
 * check earned) or skipped. Where the page says the learner is does not count: opening a step is not doing it.
 * Refuses a step the lesson lacks, and a step with nothing before it left to do (`whoHas`: "Ada has", "you have").
 */
export function skipStart(progress: CatchUpProgress, owner: string, whoHas: string, lesson: Lesson, step: number): number {
  if (!lesson.steps[step]) throw new HttpError(400, 'bad_request', `lesson ${lesson.meta.id} has no step ${step + 1}`);
  const checks = lessonProgress(lesson, progress.forOwner(owner, lesson.meta.id)).checks;
  const skipped = new Set(progress.skippedSteps(owner, lesson.meta.id));
  const completed = (index: number) => {
    const ofStep = checks.filter((c) => c.check.step === index);
    return skipped.has(index) || (ofStep.length > 0 && ofStep.every((c) => c.earned));
  };
  let from = 0;
  for (let index = step - 1; index >= 0; index--) {
    if (completed(index)) {
      from = index + 1;
      break;
    }
  }
  if (from >= step) throw new HttpError(409, 'nothing_to_skip', `${whoHas} done or skipped every step before step ${step + 1}`);
  return from;
}
