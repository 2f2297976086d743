import type { Token } from 'markdown-it';
import { LineCounter, parseDocument } from 'yaml';
import { z } from 'zod';
import { parseFenceInfo } from './fence-info.js';
import { parseFrontMatterWith, splitFrontMatter } from './front-matter.js';
import type { Lesson, LessonCheck, LessonProblem, LessonStep, SourceFence } from './lesson-types.js';
import { LessonError, sections } from './parse-lesson.js';
import { markdown, renderTokens } from './render.js';
import { lineOfPath } from './yaml-lines.js';

/**
 * A translation carries only words: front matter `title` and `summary`, the source's `##` steps in the same
 * order with translated headings and prose, a ```` ```block ```` fence wherever the source has a fenced block
 * (the source's block is shown there: same text, same Run reference), and a ```` ```check-text ```` fence per
 * check naming its `id` with a translated `title` and `hint`. Code and checks come only from the source, so
 * both languages run the same blocks and are graded by the same checks.
 */
const TranslationMetaSchema = z.strictObject({ title: z.string().min(1), summary: z.string().min(1) });

const CheckTextSchema = z.strictObject({
  id: z.string().min(1),
  title: z.string().min(1),
  hint: z.string().min(1).optional(),
});

export const BLOCK_REFERENCE = 'block';
export const CHECK_TEXT = 'check-text';

interface CheckText {
  id: string;
  title: string;
  hint?: string;
  step: number;
  line: number;
}

interface MergedSection {
  html: string;
  solutionHtml: string;
  texts: CheckText[];
}

type Report = (line: number, message: string) => void;

/** Turns a ```block reference into the source's fence, rendered exactly as the source page renders it. */
function showSourceFence(reference: Token, fence: SourceFence): Token {
  reference.type = 'html_block';
  reference.content = fence.html;
  return reference;
}

function parseCheckText(token: Token, line: number, step: number, report: Report): CheckText | undefined {
  const lineCounter = new LineCounter();
  const doc = parseDocument(token.content, { lineCounter });
  if (doc.errors.length > 0) {
    for (const error of doc.errors) report(line + (error.linePos?.[0].line ?? 1), `check-text: ${error.message.split('\n')[0]}`);
    return undefined;
  }
  const raw: unknown = doc.toJS();
  const parsed = CheckTextSchema.safeParse(raw);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const path = issue.path.filter((p): p is string | number => typeof p !== 'symbol');
      report(line + lineOfPath(doc, lineCounter, path), `check-text ${path.join('.')}: ${issue.message}`.replace(' :', ':'));
    }
    // Still name the check it is for, so the one mistake is not also reported as a missing check-text.
    const named = z.object({ id: z.string(), hint: z.string().optional() }).safeParse(raw);
    return named.success ? { id: named.data.id, title: '', hint: named.data.hint, step, line } : undefined;
  }
  return { ...parsed.data, step, line };
}

/** Renders one translated section with the source's fences put back at its ```block references. */
function mergeSection(tokens: Token[], fences: readonly SourceFence[], where: { step: number; name: string; line: number }, lineOf: (t: Token) => number, report: Report): MergedSection {
  const shown: Token[] = [];
  const hidden: Token[] = [];
  const texts: CheckText[] = [];
  let used = 0;
  for (const token of tokens) {
    if (token.type === 'code_block') {
      report(lineOf(token), 'indented code in a translation: code comes from the source (write ```block where the source has a block)');
      continue;
    }
    if (token.type !== 'fence') {
      shown.push(token);
      continue;
    }
    const line = lineOf(token);
    const info = parseFenceInfo(token.info);
    if (info.lang === CHECK_TEXT) {
      const text = parseCheckText(token, line, where.step, report);
      if (text) texts.push(text);
    } else if (info.lang !== BLOCK_REFERENCE) {
      report(line, `a translation cannot add a code block or check of its own (\`\`\`${token.info.trim()}): write \`\`\`block where the source has a block, \`\`\`check-text for a check`);
    } else if (used >= fences.length) {
      report(line, `${where.name} has ${fences.length} code block${fences.length === 1 ? '' : 's'} in the source: this \`\`\`block has none to show`);
    } else {
      if (token.info.trim() !== BLOCK_REFERENCE || token.content.trim() !== '') report(line, 'a block reference is an empty ```block fence: the code comes from the source');
      const fence = fences[used++];
      (fence.solution ? hidden : shown).push(showSourceFence(token, fence));
    }
  }
  if (used < fences.length) {
    const missing = fences.slice(used).map((f) => f.line).join(', ');
    report(where.line, `${where.name}: no \`\`\`block for the source's code block${fences.length - used === 1 ? '' : 's'} on line ${missing}`);
  }
  return { html: renderTokens(shown), solutionHtml: hidden.length ? renderTokens(hidden) : '', texts };
}

/** A translated check: the source's check (id, assertions, points) with the translation's title and hint. */
function translateChecks(step: LessonStep, texts: ReadonlyMap<string, CheckText>, stepLine: number, report: Report): LessonCheck[] {
  return step.checks.map((check) => {
    const text = texts.get(check.id);
    if (!text) {
      report(stepLine, `step ${step.index} "${step.title}": no \`\`\`check-text for check \`${check.id}\` (source line ${check.line})`);
      return check;
    }
    if (text.step !== step.index) report(text.line, `check-text \`${check.id}\` is in step ${text.step}; the source has that check in step ${step.index} "${step.title}"`);
    if (check.hint && !text.hint) report(text.line, `check-text \`${check.id}\`: the source has a hint, translate it (\`hint:\`)`);
    if (!check.hint && text.hint) report(text.line, `check-text \`${check.id}\`: the source check has no hint`);
    return { ...check, title: text.title, hint: text.hint ?? check.hint };
  });
}

/**
 * Parses a translation of `source` (see TranslationMetaSchema's comment for the format): the result is a
 * Lesson in `lang` whose blocks are the source's own objects and whose checks are the source's with
 * translated titles and hints. Problems are collected with the translation's file and line, as for lessons.
 */
export function parseTranslationSource(text: string, file: string, lang: string, source: Lesson): { lesson?: Lesson; problems: LessonProblem[] } {
  const problems: LessonProblem[] = [];
  const report: Report = (line, message) => problems.push({ file, line, message });
  const split = splitFrontMatter(text);
  if (!split) return { problems: [{ file, line: 1, message: 'a translation starts with front matter (`title`, `summary`) between `---` lines' }] };
  const front = parseFrontMatterWith(split.frontMatter, TranslationMetaSchema);
  for (const p of front.problems) report(p.line + 1, p.message);
  const lineOf = (token: Token) => split.bodyLineOffset + (token.map?.[0] ?? 0) + 1;
  const { intro, steps } = sections(markdown.parse(split.body, {}), lineOf);

  const introMerged = mergeSection(intro, source.introFences, { step: -1, name: 'the introduction', line: split.bodyLineOffset + 1 }, lineOf, report);
  for (const t of introMerged.texts) report(t.line, 'a check-text must be inside the step of its check');
  const lastLine = split.bodyLineOffset + split.body.split('\n').length;
  for (const missing of source.steps.slice(steps.length)) report(lastLine, `step ${missing.index} "${missing.title}" (source line ${missing.line}) is missing: the translation has ${steps.length} steps, the source ${source.steps.length}`);
  for (const extra of steps.slice(source.steps.length)) report(extra.line, `step "${extra.title}" is not in the source (it has ${source.steps.length} steps)`);

  const merged = steps.slice(0, source.steps.length).map((section, index) => {
    if (!section.title.trim()) report(section.line, 'a step needs a title');
    const name = `step ${index} "${source.steps[index].title}"`;
    return mergeSection(section.tokens, source.steps[index].fences, { step: index, name, line: section.line }, lineOf, report);
  });

  const texts = new Map<string, CheckText>();
  const known = new Set(source.steps.flatMap((s) => s.checks.map((c) => c.id)));
  for (const t of merged.flatMap((m) => m.texts)) {
    if (!known.has(t.id)) report(t.line, `check-text \`${t.id}\`: the source has no check with this id`);
    else if (texts.has(t.id)) report(t.line, `check-text \`${t.id}\` is also on line ${texts.get(t.id)?.line}`);
    else texts.set(t.id, t);
  }
  const translatedSteps = source.steps.map((step, index): LessonStep => {
    const section = steps[index];
    if (!section) return step;
    return { ...step, title: section.title, line: section.line, html: merged[index].html, solutionHtml: merged[index].solutionHtml, checks: translateChecks(step, texts, section.line, report) };
  });
  problems.sort((a, b) => a.line - b.line);
  if (!front.meta) return { problems };
  const meta = { ...source.meta, title: front.meta.title, summary: front.meta.summary };
  return { lesson: { file, lang, meta, introHtml: introMerged.html, introFences: source.introFences, steps: translatedSteps }, problems };
}

/** Parses a translation that must be valid (the server's path); throws LessonError listing every problem. */
export function parseTranslation(text: string, file: string, lang: string, source: Lesson): Lesson {
  const { lesson, problems } = parseTranslationSource(text, file, lang, source);
  if (!lesson || problems.length > 0) throw new LessonError(problems);
  return lesson;
}
