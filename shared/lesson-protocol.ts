import { z } from 'zod';

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
}

export interface LessonStepView {
  index: number;
  title: string;
  html: string;
  blocks: Array<{ index: number; node: string; file?: string }>;
  checks: Array<{ id: string; title: string; points: number; hint?: string }>;
  /** Present only when every check of the step allows showing the solution. */
  solutionHtml?: string;
}

export interface LessonView extends LessonSummary {
  introHtml: string;
  stepViews: LessonStepView[];
  /** The lesson file's lint problems, while an author edits it (live reload); absent when there are none. */
  problems?: Array<{ line: number; message: string }>;
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

export interface GradedCheck {
  id: string;
  step: number;
  title: string;
  passed: boolean;
  earned: number;
  possible: number;
  failures: Array<{ expected?: string; actual?: string; message: string }>;
  checkedAt?: string;
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
}
