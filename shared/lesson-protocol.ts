import { z } from 'zod';
import type { FindingMessage } from './i18n/finding-message.js';

/** What the page gets of lessons and of the live cluster; the run button sends only (lesson, step, block). */

export const RunBlockSchema = z.strictObject({
  lesson: z.string().min(1).max(100),
  step: z.number().int().min(0).max(100),
  block: z.number().int().min(0).max(100),
});

export interface LessonSummary {
  id: string;
  title: string;
  summary: string;
  template: string;
  swarm: boolean;
  minutes: number;
  steps: string[];
  /** The language the titles and prose were served in: the one asked for, or `en` when the lesson has no such translation. */
  lang: string;
  /** Every language this lesson can be read in, `en` first. */
  languages: string[];
}

/** `GET /api/lessons?lang=ko`: the list, each entry in the language asked for when it has it. */
export interface LessonListView {
  /** The language asked for (query `lang`, else the best of Accept-Language), or `en`. */
  lang: string;
  lessons: LessonSummary[];
}

export interface LessonStepView {
  index: number;
  title: string;
  html: string;
  blocks: Array<{ index: number; node: string; file?: string }>;
  /** By id, the same in every language: the page shows a check result's title and hint from here, in the page's language. */
  checks: Array<{ id: string; title: string; points: number; hint?: string }>;
  /** Present only when every check of the step allows showing the solution. */
  solutionHtml?: string;
}

export interface LessonView extends LessonSummary {
  introHtml: string;
  stepViews: LessonStepView[];
  /** The lesson file's lint problems, while an author edits it (live reload); absent when there are none. */
  problems?: Array<{ line: number; message: string }>;
  /** Set while an exam uses the lesson: its hints and solutions are withheld (the server leaves them out). */
  helpHidden?: boolean;
}

export interface ClusterTaskView {
  service: string;
  slot?: number;
  state: string;
  desired: string;
  image: string;
  error?: string;
}

export interface ClusterNodeView {
  name: string;
  /** Unreachable nodes are listed with the reason and nothing else. */
  error?: string;
  swarm: 'inactive' | 'pending' | 'active' | 'error' | 'locked' | string;
  role?: 'manager' | 'worker';
  leader?: boolean;
  availability?: string;
  state?: string;
  tasks: ClusterTaskView[];
}

export interface ClusterView {
  nodes: ClusterNodeView[];
  services: Array<{ name: string; mode: string; replicas?: number; running: number; image: string }>;
  takenAt: string;
}

/** One assertion's outcome: what was expected, what the cluster has, and the difference in words. */
export interface AssertionResultView {
  kind: string;
  passed: boolean;
  expected: string;
  actual: string;
  message: string;
  /** What `message` says (in English), as catalogue keys and values for any language (shared/i18n/render-finding.ts). */
  findings?: FindingMessage[];
  /** Each difference separately with both values, so a page can word it in its own language (empty when it passed). */
  differences?: Array<{ expected: string; actual: string; message: string }>;
}

export interface CheckResultView {
  /** `<step>.<index>` */
  id: string;
  step: number;
  title: string;
  passed: boolean;
  points: { earned: number; possible: number };
  hint?: string;
  assertions: AssertionResultView[];
}

/** The answer of `POST /api/sessions/:id/checks` (docs/lessons.md). */
export interface CheckRunView {
  lesson: string;
  step?: number;
  passed: boolean;
  score: { earned: number; possible: number };
  checks: CheckResultView[];
  durationMs: number;
}

/** How a lesson is graded (its front matter `grading:`): what was earned step by step, or the live cluster's final state. */
export type GradingRule = 'earned' | 'final-state';

/** A failed assertion as stored: its kind, both values, the sentence, and each difference as data. */
export interface GradedFailure {
  expected?: string;
  actual?: string;
  message: string;
  kind?: string;
  differences?: Array<{ expected: string; actual: string; message: string }>;
  /** What `message` says (in English), as catalogue keys and values for any language; absent on older results. */
  findings?: FindingMessage[];
}

export interface GradedCheck {
  id: string;
  step: number;
  title: string;
  /** Whether the check counts as passed under the report's rule: earned (`earned` rule) or holding now (`final-state`). */
  passed: boolean;
  /** Points counted under the report's rule. */
  earned: number;
  possible: number;
  /** Why the check does not hold now (the latest evaluation); empty when it holds. */
  failures: GradedFailure[];
  checkedAt?: string;
  /**
   * Set when the learner earned the check (it passed while they had reached its step): when it was first
   * earned. Earned checks stay earned until the lesson is reset.
   */
  earnedAt?: string;
  /** Whether the latest evaluation passed: the "still holds now" view. */
  holdsNow: boolean;
  /** A check of the starting state (`precondition: true`, no points): listed, never counted. */
  precondition?: boolean;
  /** Its step was caught up by the server ("skip to this step") and the check was not earned: it counts nothing. */
  skipped?: boolean;
}

/** A learner's grade for a lesson: `GET /api/sessions/:id/progress`, grading exports, the grade command. */
export interface GradeReport {
  learner: string;
  lesson: string;
  lessonTitle: string;
  earned: number;
  possible: number;
  passed: boolean;
  checks: GradedCheck[];
  /** Which rule graded the report: `earned` (what was earned step by step) or `final-state` (the live cluster). */
  rule: GradingRule;
  /** Steps (0-based) the server caught up for the learner: their unearned checks are marked `skipped`. */
  skippedSteps?: number[];
}

/** `GET /api/learners/me/solutions?lesson=`: a lesson's hidden solutions, once the instructor revealed them. */
export interface LessonSolutionsView {
  lesson: string;
  lang: string;
  steps: Array<{ index: number; solutionHtml: string }>;
}
