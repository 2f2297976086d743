import type { Check } from '../checks/check-schema.js';
import type { LessonMeta } from './front-matter.js';

/** A fenced code block of a step. Only blocks that name a node (and are not `run=false`) can be run. */
export interface CodeBlock {
  /** Stable position among the step's runnable blocks: what the browser sends back, never the text. */
  index: number;
  lang: string;
  node: string;
  /** When set, running the block writes its text to this path on the node instead of executing it. */
  file?: string;
  /** A hidden reference solution: shown only when the step allows it, always run by the lesson runner. */
  solution: boolean;
  /** The runner accepts a non-zero exit (for blocks that demonstrate an error). */
  allowFail: boolean;
  content: string;
  placeholders: string[];
  /** 1-based line of the opening fence in the lesson file. */
  line: number;
}

export interface LessonCheck extends Check {
  /**
   * The `id:` written in the check block (kebab-case, unique within the lesson): what results, the
   * dashboard and translations are keyed by. A check without one gets `<step>.<index>`, which lint refuses.
   */
  id: string;
  step: number;
  index: number;
  line: number;
}

/**
 * A fenced block of the source as the page shows it (runnable or display-only, checks excluded), in document
 * order: what a translation's ```` ```block ```` references stand for.
 */
export interface SourceFence {
  html: string;
  /** Rendered into `solutionHtml` rather than `html`. */
  solution: boolean;
  line: number;
}

export interface LessonStep {
  index: number;
  title: string;
  line: number;
  /** The step rendered without its checks and without its solution blocks. */
  html: string;
  /** The solution blocks alone, for pages that may reveal them; empty when there are none. */
  solutionHtml: string;
  blocks: CodeBlock[];
  checks: LessonCheck[];
  /** Every fenced block except checks, in order; a translation puts these back where it says ```` ```block ````. */
  fences: SourceFence[];
}

export interface Lesson {
  /** The file name within lessons/, e.g. `03-services.md`; a translation's is `ko/03-services.md`. */
  file: string;
  /** The language the prose is in: `en` for a source lesson, the folder name for a translation. */
  lang: string;
  meta: LessonMeta;
  introHtml: string;
  introFences: SourceFence[];
  steps: LessonStep[];
  /**
   * The translations of a source lesson by language (see docs/lessons.md, Translations): the same steps,
   * blocks (the very objects) and check ids, with translated prose, titles and hints.
   */
  translations?: ReadonlyMap<string, Lesson>;
  /** Lint problems of the file as last read (live reload shows them on the lesson's page); absent when there are none. */
  problems?: LessonProblem[];
}

/** A problem in a lesson file, with the 1-based line it is on. */
export interface LessonProblem {
  file: string;
  line: number;
  message: string;
}
