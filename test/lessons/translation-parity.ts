import type { LessonView } from '../../shared/lesson-protocol.js';
import type { Lesson } from '../../server/lessons/lesson-types.js';

export interface ShownBlock {
  step: number;
  index: number;
  node: string;
  file?: string;
  content: string;
}

const CODE_BLOCK = /<div class="code-block" data-step="(\d+)" data-block="(\d+)" data-node="([^"]*)"(?: data-file="([^"]*)")?><div class="code-block-node">[^<]*<\/div><pre><code[^>]*>([\s\S]*?)<\/code><\/pre><\/div>/g;

function unescapeHtml(html: string): string {
  return html
    .replace(/<span class="placeholder" data-placeholder="[^"]*">([^<]*)<\/span>/g, '$1')
    .replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&');
}

/** The runnable blocks a rendered page shows, read back from its HTML: what its Run buttons would send and the text they show. */
export function shownBlocks(html: string): ShownBlock[] {
  return [...html.matchAll(CODE_BLOCK)].map((m) => ({
    step: Number(m[1]), index: Number(m[2]), node: unescapeHtml(m[3]), ...(m[4] ? { file: unescapeHtml(m[4]) } : {}), content: unescapeHtml(m[5]),
  }));
}

/**
 * Differences between a translated page and its source lesson, empty when the page shows exactly the
 * source's runnable blocks (step, index, node, file, text; solutions where the page may reveal them) and
 * exactly its check ids, in order, in the language asked for.
 */
export function translationDifferences(lesson: Lesson, view: LessonView, lang: string): string[] {
  const where = `${lesson.meta.id} (${lang})`;
  const differences: string[] = [];
  if (view.lang !== lang) differences.push(`${where}: served in ${view.lang}`);
  if (view.stepViews.length !== lesson.steps.length) differences.push(`${where}: ${view.stepViews.length} steps, the source has ${lesson.steps.length}`);
  lesson.steps.forEach((step, i) => {
    const page = view.stepViews[i];
    if (!page) return;
    const expected = (solution: boolean) => step.blocks.filter((b) => b.solution === solution)
      .map((b) => ({ step: step.index, index: b.index, node: b.node, ...(b.file ? { file: b.file } : {}), content: b.content }));
    const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
    if (!same(shownBlocks(page.html), expected(false))) differences.push(`${where} step ${i}: the page's blocks are ${JSON.stringify(shownBlocks(page.html))}, the source's ${JSON.stringify(expected(false))}`);
    if (page.solutionHtml !== undefined && !same(shownBlocks(page.solutionHtml), expected(true))) differences.push(`${where} step ${i}: the page's solution blocks differ from the source's`);
    const runnable = expected(false).map((b) => ({ index: b.index, node: b.node, ...(b.file ? { file: b.file } : {}) }));
    if (!same(page.blocks, runnable)) differences.push(`${where} step ${i}: block references ${JSON.stringify(page.blocks)}, the source's ${JSON.stringify(runnable)}`);
    const ids = page.checks.map((c) => c.id);
    const sourceIds = step.checks.map((c) => c.id);
    if (!same(ids, sourceIds)) differences.push(`${where} step ${i}: check ids ${ids.join(', ')}, the source's ${sourceIds.join(', ')}`);
    if (!same(page.checks.map((c) => c.points), step.checks.map((c) => c.points))) differences.push(`${where} step ${i}: check points differ from the source's`);
  });
  return differences;
}
