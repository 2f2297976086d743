export type { AssertionResultView as AssertionResult, CheckResultView as CheckResult, CheckRunView, GradeReport } from '../../../shared/lesson-protocol.js';

/** The state the panel shows for one check. */
export interface CheckState {
  status: 'unchecked' | 'passed' | 'failed';
  messages: string[];
  hint?: string;
  earned: number;
}

export type RunResult = { node: string; mode: 'terminal' } | { node: string; mode: 'exec'; exitCode: number; output: string };
