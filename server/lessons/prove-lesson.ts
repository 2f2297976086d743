import type { CheckRunView } from '../checks/run-lesson-checks.js';
import { blockCommand } from './block-command.js';
import type { CodeBlock, Lesson } from './lesson-types.js';

type RunResult = { exitCode: number; output: string };

/** What proving a lesson needs from a session, whether it is reached over REST (`workshop prove`) or locally. */
export interface SessionDriver {
  /** Runs a block the way a learner's page does, by reference (over REST: `POST /api/sessions/:id/run`). */
  run(step: number, block: CodeBlock): Promise<RunResult>;
  /** Runs a command directly: for solution blocks, which `/run` refuses. */
  exec(node: string, command: string, timeoutSeconds?: number): Promise<RunResult>;
  checks(step: number): Promise<CheckRunView>;
  values(): Promise<Record<string, string>>;
}

/** One check before or after its step's blocks ran. */
export interface CheckOutcome {
  id: string;
  title: string;
  passed: boolean;
  /** What the lesson says the check should do at that moment (`expect_before`, or pass afterwards). */
  expected: 'pass' | 'fail' | 'any';
  /** The differences the check found, when it did not pass. */
  failures: string[];
}

export interface StepProof {
  index: number;
  title: string;
  before: CheckOutcome[];
  blocks: Array<{ index: number; node: string; solution: boolean; exitCode: number }>;
  after: CheckOutcome[];
}

export interface LessonProof {
  lesson: string;
  steps: StepProof[];
  /** Empty when the lesson works: every step's checks failed before (as declared), its blocks ran, its checks then passed. */
  problems: string[];
}

// Swarm converges asynchronously, and a task that fails to start is retried after its restart delay (5 s by
// default, longer after repeated failures): on a loaded machine half a minute was seen to be too short.
const CONVERGE_SECONDS = 60;

function outcomes(view: CheckRunView, expected: (id: string) => CheckOutcome['expected']): CheckOutcome[] {
  return view.checks.map((c) => ({
    id: c.id,
    title: c.title,
    passed: c.passed,
    expected: expected(c.id),
    failures: c.assertions.filter((a) => !a.passed).map((a) => a.message),
  }));
}

/**
 * Proves a lesson on a fresh session: for every step its checks fail first (unless `expect_before` says
 * otherwise), its blocks (solutions included) run without error, and then its checks pass within
 * CONVERGE_SECONDS, because swarm converges asynchronously. Stops at the first step that does not work.
 * `onStep` hears each step as it is proved, for a live report.
 */
export async function proveLesson(lesson: Lesson, driver: SessionDriver, onStep: (step: StepProof) => void = () => {}): Promise<LessonProof> {
  const proof: LessonProof = { lesson: lesson.meta.id, steps: [], problems: [] };
  const { problems } = proof;
  for (const step of lesson.steps) {
    const where = `${lesson.meta.id} step ${step.index + 1} "${step.title}"`;
    const result: StepProof = { index: step.index, title: step.title, before: [], blocks: [], after: [] };
    proof.steps.push(result);
    const done = () => {
      onStep(result);
      return proof;
    };
    if (step.checks.length > 0) {
      result.before = outcomes(await driver.checks(step.index), (id) => step.checks.find((c) => c.id === id)?.expectBefore ?? 'fail');
      for (const check of result.before) {
        if (check.expected === 'fail' && check.passed) problems.push(`${where}: check "${check.title}" passes before the step ran`);
        if (check.expected === 'pass' && !check.passed) problems.push(`${where}: check "${check.title}" should pass before the step ran`);
      }
    }
    for (const block of step.blocks) {
      const ran = block.solution ? await driver.exec(block.node, blockCommand(block, await driver.values()), 180) : await driver.run(step.index, block);
      result.blocks.push({ index: block.index, node: block.node, solution: block.solution, exitCode: ran.exitCode });
      if (ran.exitCode !== 0 && !block.allowFail) {
        problems.push(`${where} block ${block.index} (line ${block.line}) exited ${ran.exitCode}: ${ran.output.trim().slice(-400)}`);
        return done();
      }
    }
    if (step.checks.length === 0) {
      done();
      continue;
    }
    const deadline = Date.now() + CONVERGE_SECONDS * 1000;
    let after = await driver.checks(step.index);
    while (!after.passed && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 1500));
      after = await driver.checks(step.index);
    }
    result.after = outcomes(after, () => 'pass');
    if (!after.passed) {
      const failing = result.after.filter((c) => !c.passed).map((c) => `  ${c.title}: ${c.failures.join('; ')}`);
      problems.push(`${where}: checks still fail after ${CONVERGE_SECONDS} s:\n${failing.join('\n')}`);
      return done();
    }
    done();
  }
  return proof;
}

/** A step's proof as lines for a terminal: each check before and after, each block's exit code. */
export function describeStep(step: StepProof): string[] {
  const mark = (c: CheckOutcome) => (c.passed ? 'pass' : 'fail');
  const verdict = (c: CheckOutcome) => (c.expected === 'any' || (c.expected === 'pass') === c.passed ? 'ok' : 'WRONG');
  const lines = [`step ${step.index + 1}: ${step.title}`];
  for (const c of step.before) lines.push(`  before  ${mark(c)}  ${c.title}  (expected ${c.expected}: ${verdict(c)})`);
  for (const b of step.blocks) lines.push(`  run     ${b.solution ? 'solution ' : ''}block ${b.index} on ${b.node}: exit ${b.exitCode}`);
  for (const c of step.after) {
    lines.push(`  after   ${mark(c)}  ${c.title}${c.passed ? '' : '  WRONG'}`);
    for (const failure of c.failures) lines.push(`            ${failure}`);
  }
  return lines;
}
