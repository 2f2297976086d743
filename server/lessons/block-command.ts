import type { CodeBlock, Lesson } from './lesson-types.js';
import { fillPlaceholders } from './placeholders.js';
import { shellQuote } from '../checks/probe-plan.js';

export class BlockNotFoundError extends Error {
  constructor(lessonId: string, step: number, block: number) {
    super(`lesson ${lessonId} has no runnable block ${block} in step ${step}`);
    this.name = 'BlockNotFoundError';
  }
}

/** The heredoc delimiter for file blocks; a lesson text containing it on a line of its own is rejected by the linter. */
export const FILE_DELIMITER = 'WORKSHOP_FILE_END';

/** The shell command that runs a block: its text, or a heredoc that writes it to its file. */
export function blockCommand(block: CodeBlock, values: Readonly<Record<string, string>>): string {
  const text = fillPlaceholders(block.content, values);
  if (!block.file) return text;
  const body = text.endsWith('\n') ? text : `${text}\n`;
  const path = shellQuote(block.file);
  return `mkdir -p "$(dirname ${path})" && cat > ${path} <<'${FILE_DELIMITER}'\n${body}${FILE_DELIMITER}\n`;
}

/**
 * Looks a block up by (step, block) — all the browser may send — and returns the node and command to run.
 * Throws BlockNotFoundError for an index that does not exist, MissingPlaceholderError when a live value is
 * not available yet (e.g. a join token before the swarm exists).
 */
export function resolveBlockCommand(lesson: Lesson, stepIndex: number, blockIndex: number, values: Readonly<Record<string, string>>): { node: string; command: string } {
  const block = lesson.steps[stepIndex]?.blocks[blockIndex];
  if (!block) throw new BlockNotFoundError(lesson.meta.id, stepIndex, blockIndex);
  return { node: block.node, command: blockCommand(block, values) };
}
