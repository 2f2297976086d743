import type { Token } from 'markdown-it';
import { LineCounter, parseDocument } from 'yaml';
import { parseCheck } from '../checks/check-schema.js';
import { parseFenceInfo } from './fence-info.js';
import { parseFrontMatter, splitFrontMatter } from './front-matter.js';
import type { CodeBlock, Lesson, LessonCheck, LessonProblem, LessonStep, SourceFence } from './lesson-types.js';
import { listPlaceholders } from './placeholders.js';
import { markdown, renderTokens, type FenceMeta } from './render.js';
import { lineOfPath } from './yaml-lines.js';

/** The language lessons are written in; translations live in `lessons/<lang>/`. */
export const SOURCE_LANGUAGE = 'en';

export interface Section {
  title: string;
  line: number;
  tokens: Token[];
}

/** Cuts the token stream at each `##` heading; what comes before the first one is the introduction. */
export function sections(tokens: Token[], lineOf: (token: Token) => number): { intro: Token[]; steps: Section[] } {
  const intro: Token[] = [];
  const steps: Section[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i];
    if (token.type === 'heading_open' && token.tag === 'h2') {
      steps.push({ title: tokens[i + 1]?.content ?? '', line: lineOf(token), tokens: [] });
      i += 2; // the heading's inline and closing tokens: the title is shown by the page itself
      continue;
    }
    (steps.at(-1)?.tokens ?? intro).push(token);
  }
  return { intro, steps };
}

function parseCheckBlock(token: Token, line: number, file: string, problems: LessonProblem[]): Omit<LessonCheck, 'id' | 'step' | 'index'> | undefined {
  const lineCounter = new LineCounter();
  const doc = parseDocument(token.content, { lineCounter });
  const contentLine = line + 1;
  if (doc.errors.length > 0) {
    for (const error of doc.errors) problems.push({ file, line: contentLine + (error.linePos?.[0].line ?? 1) - 1, message: `check: ${error.message.split('\n')[0]}` });
    return undefined;
  }
  const { check, issues } = parseCheck(doc.toJS());
  for (const issue of issues) {
    problems.push({ file, line: contentLine + lineOfPath(doc, lineCounter, issue.path) - 1, message: `check ${issue.path.join('.')}: ${issue.message}`.replace(' :', ':') });
  }
  return check ? { ...check, line } : undefined;
}

function buildStep(section: Section, index: number, file: string, lineOf: (t: Token) => number, problems: LessonProblem[]): LessonStep {
  const shown: Token[] = [];
  const hidden: Token[] = [];
  const blocks: CodeBlock[] = [];
  const checks: LessonCheck[] = [];
  const fences: SourceFence[] = [];
  for (const token of section.tokens) {
    if (token.type !== 'fence') {
      shown.push(token);
      continue;
    }
    const line = lineOf(token);
    const info = parseFenceInfo(token.info);
    if (info.lang === 'check') {
      const check = parseCheckBlock(token, line, file, problems);
      if (check) checks.push({ ...check, id: check.declaredId ?? `${index}.${checks.length}`, step: index, index: checks.length });
      continue;
    }
    for (const word of info.unknown) problems.push({ file, line, message: `unknown code block attribute \`${word}\`` });
    if (info.node === undefined || !info.run) {
      if (info.file || info.solution) problems.push({ file, line, message: 'a `file=` or `solution` block must name the node it runs on (node=...)' });
      shown.push(token);
      fences.push({ html: renderTokens([token]), solution: false, line });
      continue;
    }
    const block: CodeBlock = {
      index: blocks.length,
      lang: info.lang,
      node: info.node,
      file: info.file,
      solution: info.solution,
      allowFail: info.allowFail,
      content: token.content,
      placeholders: listPlaceholders(token.content),
      line,
    };
    blocks.push(block);
    const meta: FenceMeta = { step: index, block: block.index, node: block.node, file: block.file };
    token.meta = meta;
    (block.solution ? hidden : shown).push(token);
    fences.push({ html: renderTokens([token]), solution: block.solution, line });
  }
  return { index, title: section.title, line: section.line, html: renderTokens(shown), solutionHtml: hidden.length ? renderTokens(hidden) : '', blocks, checks, fences };
}

/**
 * Parses a lesson file once: front matter, then one markdown-it pass that yields every step's HTML, its
 * runnable blocks and its checks. Problems are collected, not thrown, so the linter can report them all.
 */
export function parseLessonSource(source: string, file: string): { lesson?: Lesson; problems: LessonProblem[] } {
  const problems: LessonProblem[] = [];
  const split = splitFrontMatter(source);
  if (!split) return { problems: [{ file, line: 1, message: 'a lesson starts with YAML front matter between `---` lines' }] };
  const front = parseFrontMatter(split.frontMatter);
  problems.push(...front.problems.map((p) => ({ file, line: p.line + 1, message: p.message })));
  const lineOf = (token: Token) => split.bodyLineOffset + (token.map?.[0] ?? 0) + 1;
  const { intro, steps } = sections(markdown.parse(split.body, {}), lineOf);
  for (const token of intro) {
    if (token.type === 'fence' && parseFenceInfo(token.info).lang === 'check') problems.push({ file, line: lineOf(token), message: 'a check must be inside a step (a `##` section)' });
    if (token.type === 'fence' && parseFenceInfo(token.info).node !== undefined) problems.push({ file, line: lineOf(token), message: 'a runnable block must be inside a step (a `##` section)' });
  }
  if (steps.length === 0) problems.push({ file, line: split.bodyLineOffset + 1, message: 'a lesson needs at least one step (a `##` heading)' });
  const built = steps.map((section, index) => buildStep(section, index, file, lineOf, problems));
  const seen = new Map<string, number>();
  for (const check of built.flatMap((step) => step.checks)) {
    const first = seen.get(check.id);
    if (first !== undefined) problems.push({ file, line: check.line, message: `check id \`${check.id}\` is also used by the check on line ${first}` });
    else seen.set(check.id, check.line);
  }
  if (!front.meta) return { problems };
  const introFences = intro.filter((t) => t.type === 'fence').map((t) => ({ html: renderTokens([t]), solution: false, line: lineOf(t) }));
  return { lesson: { file, lang: SOURCE_LANGUAGE, meta: front.meta, introHtml: renderTokens(intro), introFences, steps: built }, problems };
}

export class LessonError extends Error {
  constructor(readonly problems: LessonProblem[]) {
    super(problems.map((p) => `${p.file}:${p.line}: ${p.message}`).join('\n'));
    this.name = 'LessonError';
  }
}

/** Parses a lesson that must be valid (the server's path); throws LessonError listing every problem. */
export function parseLesson(source: string, file: string): Lesson {
  const { lesson, problems } = parseLessonSource(source, file);
  if (!lesson || problems.length > 0) throw new LessonError(problems);
  return lesson;
}
