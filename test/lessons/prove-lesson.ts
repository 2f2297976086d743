import type { CheckRunView } from '../../server/checks/run-lesson-checks.js';
import { blockCommand } from '../../server/lessons/block-command.js';
import type { CodeBlock, Lesson } from '../../server/lessons/lesson-types.js';

type RunResult = { exitCode: number; output: string };

/** What the lesson runner needs from a session, whether it is reached over REST or locally. */
export interface SessionDriver {
  /** Runs a block the way a learner's page does, by reference (over REST: `POST /api/sessions/:id/run`). */
  run(step: number, block: CodeBlock): Promise<RunResult>;
  /** Runs a command directly: for solution blocks, which `/run` refuses. */
  exec(node: string, command: string, timeoutSeconds?: number): Promise<RunResult>;
  checks(step: number): Promise<CheckRunView>;
  values(): Promise<Record<string, string>>;
}

const CONVERGE_SECONDS = 30;

function failures(view: CheckRunView): string {
  return view.checks.filter((c) => !c.passed).map((c) => `  ${c.title}: ${c.assertions.filter((a) => !a.passed).map((a) => a.message).join('; ')}`).join('\n');
}

/**
 * Proves a lesson on a fresh session: for every step its checks fail first (unless `expect_before` says
 * otherwise), its blocks run without error, and then its checks pass within CONVERGE_SECONDS, because swarm
 * converges asynchronously. Returns the problems found; an empty list means the lesson works.
 */
export async function proveLesson(lesson: Lesson, driver: SessionDriver, log: (line: string) => void = () => {}): Promise<string[]> {
  const problems: string[] = [];
  for (const step of lesson.steps) {
    const where = `${lesson.meta.id} step ${step.index} "${step.title}"`;
    if (step.checks.length > 0) {
      const before = await driver.checks(step.index);
      for (const check of before.checks) {
        const declared = step.checks.find((c) => c.id === check.id)?.expectBefore ?? 'fail';
        if (declared === 'fail' && check.passed) problems.push(`${where}: check "${check.title}" passes before the step ran`);
        if (declared === 'pass' && !check.passed) problems.push(`${where}: check "${check.title}" should pass before the step ran`);
      }
    }
    for (const block of step.blocks) {
      const result = block.solution ? await driver.exec(block.node, blockCommand(block, await driver.values()), 180) : await driver.run(step.index, block);
      log(`${where} ${block.solution ? 'solution ' : ''}block ${block.index} on ${block.node}: exit ${result.exitCode}`);
      if (result.exitCode !== 0 && !block.allowFail) {
        problems.push(`${where} block ${block.index} (line ${block.line}) exited ${result.exitCode}: ${result.output.trim().slice(-400)}`);
        return problems;
      }
    }
    if (step.checks.length === 0) continue;
    const deadline = Date.now() + CONVERGE_SECONDS * 1000;
    let after = await driver.checks(step.index);
    while (!after.passed && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 1500));
      after = await driver.checks(step.index);
    }
    log(`${where}: checks ${after.passed ? 'pass' : 'FAIL'} (${after.durationMs} ms)`);
    if (!after.passed) {
      problems.push(`${where}: checks still fail after ${CONVERGE_SECONDS} s:\n${failures(after)}`);
      return problems;
    }
  }
  return problems;
}
