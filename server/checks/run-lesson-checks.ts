import type { CheckRunView } from '../../shared/lesson-protocol.js';
import type { Lesson, LessonCheck } from '../lessons/lesson-types.js';
import { fillPlaceholders } from '../lessons/placeholders.js';
import type { Assertion } from './assertion-schema.js';
import { collectSnapshot, type NodeExec, type NodeReader } from './collect-snapshot.js';
import type { StepBaseline } from './baseline.js';
import { evaluate, type CheckResult } from './evaluate.js';
import { neededProbes, type ProbeHistory } from './probe-need.js';
import { probeKey } from './probe-plan.js';
import { readPlan, recordsBaselines } from './read-plan.js';
import type { ClusterSnapshot } from './snapshot.js';
import type { AssertionResult } from './finding.js';

export type LessonCheckResult = CheckResult & { id: string; step: number };

export type { CheckRunView };

function fillQuietly(text: string | undefined, values: Readonly<Record<string, string>>): string | undefined {
  if (text === undefined) return undefined;
  try {
    return fillPlaceholders(text, values);
  } catch {
    return text; // the probe then fails and shows the unfilled text, which names what was missing
  }
}

/** Probes may use live values (`{{node2.ip}}`); everything else in a check is literal. */
function withValues(assertion: Assertion, values: Readonly<Record<string, string>>): Assertion {
  if (assertion.kind !== 'probe') return assertion;
  const { probe } = assertion;
  return { ...assertion, probe: { ...probe, command: fillQuietly(probe.command, values), url: fillQuietly(probe.url, values), file: fillQuietly(probe.file, values) } };
}

export type { AssertionResult };

/** Given the snapshot just collected, each check's step baseline (the runner records missing ones from it first). */
export type BaselinesFor = (snapshot: ClusterSnapshot) => (check: LessonCheck) => StepBaseline | undefined;

/**
 * Collects the cluster once, reading only what the checks look at (read-plan.ts), and grades a lesson's
 * checks: one step's, or all of them when `stepIndex` is undefined. This is what the checks route calls.
 */
export async function runLessonChecks(
  lesson: Lesson,
  stepIndex: number | undefined,
  exec: NodeExec,
  nodeNames: string[],
  values: Readonly<Record<string, string>>,
  reader?: NodeReader,
  baselinesFor?: BaselinesFor,
  history?: ProbeHistory,
): Promise<CheckRunView> {
  const started = Date.now();
  const steps = stepIndex === undefined ? lesson.steps : lesson.steps.slice(stepIndex, stepIndex + 1);
  const checks: LessonCheck[] = steps.flatMap((step) => step.checks).map((check) => ({ ...check, assertions: check.assertions.map((a) => withValues(a, values)) }));
  const probes = checks.flatMap((c) => c.assertions.flatMap((a) => (a.kind === 'probe' ? [a.probe] : [])));
  // Baselines may be recorded for any step of the lesson, not only the ones checked now (check-runner.ts).
  const plan = readPlan(checks, baselinesFor !== undefined && recordsBaselines(lesson.steps.flatMap((step) => step.checks)));
  // Baselines come from the engine reads only (join tokens), so the first snapshot, without probes, gives them.
  let baselineOf: ((check: LessonCheck) => StepBaseline | undefined) | undefined;
  const baselines = (snapshot: ClusterSnapshot) => (baselineOf ??= baselinesFor?.(snapshot));
  // A probe is waited for only where its check's other assertions pass: elsewhere the check fails anyway.
  const needed = (snapshot: ClusterSnapshot) => {
    const keys = neededProbes(checks, snapshot, baselines(snapshot));
    history?.record(probes.map(probeKey), keys);
    return keys;
  };
  const startEarly = history && ((key: string) => history.startEarly(key));
  const snapshot = await collectSnapshot(exec, nodeNames, probes, reader, plan, { needed, ...(startEarly ? { startEarly } : {}) });
  const results = evaluate(checks, snapshot, baselines(snapshot)).map((result, i) => ({ id: checks[i].id, step: checks[i].step, ...result }));
  const earned = results.reduce((sum, r) => sum + r.points.earned, 0);
  const possible = results.reduce((sum, r) => sum + r.points.possible, 0);
  return {
    lesson: lesson.meta.id,
    ...(stepIndex === undefined ? {} : { step: stepIndex }),
    passed: results.every((r) => r.passed),
    score: { earned, possible },
    checks: results,
    durationMs: Date.now() - started,
  };
}
