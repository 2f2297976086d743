import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Assertion } from '../checks/assertion-schema.js';
import { CUSTOM_CHECKS } from '../checks/custom/index.js';
import { TEMPLATES } from '../nodes/templates.js';
import { FILE_DELIMITER } from './block-command.js';
import type { Lesson, LessonCheck, LessonProblem } from './lesson-types.js';
import { translationLanguages } from './load-lessons.js';
import { parseLessonSource } from './parse-lesson.js';
import { parseTranslationSource } from './parse-translation.js';
import { isKnownPlaceholder, listPlaceholders } from './placeholders.js';

/** Node names an assertion refers to, so the linter can check them against the lesson's template. */
function nodesOf(assertion: Assertion): string[] {
  switch (assertion.kind) {
    case 'swarm': return [assertion.swarm];
    case 'node': return [assertion.node];
    case 'leader': return typeof assertion.leader === 'string' ? [assertion.leader] : [assertion.leader.not];
    case 'tasks': return [assertion.node, ...(assertion.on_nodes ?? []), ...(assertion.not_on ?? [])].filter((n): n is string => n !== undefined);
    case 'volume': return assertion.node ? [assertion.node] : [];
    case 'probe': return assertion.probe.node ? [assertion.probe.node] : [];
    default: return [];
  }
}

/**
 * A check that holds before the learner acts on the lesson's first step describes the starting state: once the
 * learner goes ahead it can never pass again, so it may not be worth points. It says so with `precondition: true`
 * and `points: 0`; reports then list it without counting it. (Later steps need no such mark: a check is earned
 * only once its step is reached, so one that holds early is still earned at its step.)
 */
function gradingProblems(check: LessonCheck): string[] {
  const problems: string[] = [];
  if (check.precondition && check.points > 0) problems.push('a precondition (`precondition: true`) is worth no points: set `points: 0`');
  if (check.step === 0 && check.expectBefore === 'pass' && !check.precondition) {
    problems.push('it holds before the learner acts on the first step, so it cannot be earned once they go ahead: mark it `precondition: true` with `points: 0`, or make it about what the step does');
  }
  return problems;
}

/** Rules that need the whole lesson: node names valid for the template, known placeholders and custom checks. */
function lintParsed(lesson: Lesson): LessonProblem[] {
  const problems: LessonProblem[] = [];
  const nodeNames = TEMPLATES[lesson.meta.template].map((n) => n.name);
  const at = (line: number, message: string) => problems.push({ file: lesson.file, line, message });
  for (const step of lesson.steps) {
    if (!step.title.trim()) at(step.line, 'a step needs a title');
    for (const block of step.blocks) {
      if (!nodeNames.includes(block.node)) at(block.line, `node \`${block.node}\` is not in template ${lesson.meta.template} (${nodeNames.join(', ')})`);
      for (const name of block.placeholders) if (!isKnownPlaceholder(name, nodeNames)) at(block.line, `unknown placeholder {{${name}}}`);
      if (block.file && block.content.split('\n').includes(FILE_DELIMITER)) at(block.line, `a file block cannot contain a line ${FILE_DELIMITER}`);
      if (!block.content.trim()) at(block.line, 'a runnable block is empty');
    }
    for (const check of step.checks) {
      if (check.declaredId === undefined) at(check.line, `check "${check.title}": give it a stable \`id:\` (kebab-case, unique in the lesson)`);
      if (!check.hint?.trim()) at(check.line, `check "${check.title}": give it a \`hint:\` for the learner who fails it`);
      for (const message of gradingProblems(check)) at(check.line, `check "${check.title}": ${message}`);
      for (const assertion of check.assertions) {
        for (const node of nodesOf(assertion)) if (!nodeNames.includes(node)) at(check.line, `check "${check.title}": node \`${node}\` is not in template ${lesson.meta.template}`);
        if (assertion.kind === 'custom' && !Object.hasOwn(CUSTOM_CHECKS, assertion.custom)) at(check.line, `check "${check.title}": unknown custom check \`${assertion.custom}\``);
        if (assertion.kind === 'probe') {
          const text = [assertion.probe.command, assertion.probe.url, assertion.probe.file].join(' ');
          for (const name of listPlaceholders(text)) if (!isKnownPlaceholder(name, nodeNames)) at(check.line, `check "${check.title}": unknown placeholder {{${name}}}`);
        }
      }
    }
  }
  return problems;
}

/** Lints one lesson text; every problem has the 1-based line it is on. */
export function lintLessonSource(source: string, file: string): LessonProblem[] {
  const { lesson, problems } = parseLessonSource(source, file);
  const all = lesson ? [...problems, ...lintParsed(lesson)] : problems;
  return all.sort((a, b) => a.line - b.line);
}

/**
 * Lints a translation against its source lesson's text: a missing or extra step, a code block without its
 * ```block reference or one of the translation's own, a check without its check-text (title, and hint where
 * the source has one), a check-text naming an unknown check id. Problems name the translation's file and line.
 */
export function lintTranslationSource(text: string, file: string, lang: string, sourceText: string, sourceFile: string): LessonProblem[] {
  const { lesson: source } = parseLessonSource(sourceText, sourceFile);
  if (!source) return [{ file, line: 1, message: `the source lesson ${sourceFile} does not parse; fix it first` }];
  return parseTranslationSource(text, file, lang, source).problems;
}

/** Lints every lesson in a folder, including rules across files (unique ids), and every translation in its language folders. */
export async function lintLessonDirectory(directory: string): Promise<LessonProblem[]> {
  const files = (await readdir(directory)).filter((name) => name.endsWith('.md')).sort();
  const problems: LessonProblem[] = [];
  const ids = new Map<string, string>();
  const sources = new Map<string, string>();
  for (const file of files) {
    const source = await readFile(join(directory, file), 'utf8');
    sources.set(file, source);
    problems.push(...lintLessonSource(source, file));
    const id = /^id:\s*(\S+)/m.exec(source)?.[1];
    if (id && ids.has(id)) problems.push({ file, line: 1, message: `lesson id ${id} is also used by ${ids.get(id)}` });
    if (id) ids.set(id, file);
  }
  for (const lang of await translationLanguages(directory)) {
    for (const name of (await readdir(join(directory, lang))).filter((n) => n.endsWith('.md')).sort()) {
      const file = `${lang}/${name}`;
      const sourceText = sources.get(name);
      const text = await readFile(join(directory, lang, name), 'utf8');
      if (sourceText === undefined) problems.push({ file, line: 1, message: `no lesson ${name} in ${directory} to translate` });
      else problems.push(...lintTranslationSource(text, file, lang, sourceText, name));
    }
  }
  return problems;
}
