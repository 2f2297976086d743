import { notFound } from '../errors.js';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Lesson } from './lesson-types.js';
import { parseLesson } from './parse-lesson.js';
import { parseTranslation } from './parse-translation.js';

/** A folder of translations is named by its language: `ko`, `pt-BR`. */
export const LANGUAGE_FOLDER = /^[a-z]{2,3}(-[A-Z]{2})?$/;

/** A lesson file: `*.md`, except drafts and partials named `_*.md`. */
export function isLessonFile(name: string): boolean {
  return name.endsWith('.md') && !name.startsWith('_') && !name.startsWith('.');
}

async function lessonFiles(directory: string): Promise<string[]> {
  return (await readdir(directory)).filter(isLessonFile).sort();
}

/** The translation folders of a lessons folder, e.g. `['ko']`. */
export async function translationLanguages(directory: string): Promise<string[]> {
  const entries = await readdir(directory, { withFileTypes: true });
  return entries.filter((e) => e.isDirectory() && LANGUAGE_FOLDER.test(e.name)).map((e) => e.name).sort();
}

/**
 * Reads and parses every `*.md` lesson in a folder once, sorted by `order` then file name, with the
 * translations found under `<lang>/<same file name>` attached. Throws on any problem, including a
 * translation whose source does not exist.
 */
export async function loadLessons(directory: string): Promise<Lesson[]> {
  const files = await lessonFiles(directory);
  const lessons = await Promise.all(files.map(async (name) => parseLesson(await readFile(join(directory, name), 'utf8'), name)));
  const byFile = new Map(lessons.map((lesson) => [lesson.file, lesson]));
  const translations = new Map<string, Map<string, Lesson>>();
  for (const lang of await translationLanguages(directory)) {
    for (const name of await lessonFiles(join(directory, lang))) {
      const source = byFile.get(name);
      if (!source) throw new Error(`${lang}/${name} translates ${name}, which is not a lesson in ${directory}`);
      const translated = parseTranslation(await readFile(join(directory, lang, name), 'utf8'), `${lang}/${name}`, lang, source);
      translations.set(name, (translations.get(name) ?? new Map()).set(lang, translated));
    }
  }
  return lessons
    .map((lesson) => (translations.has(lesson.file) ? { ...lesson, translations: translations.get(lesson.file) } : lesson))
    .sort((a, b) => (a.meta.order ?? Infinity) - (b.meta.order ?? Infinity) || a.file.localeCompare(b.file));
}

/** A lookup by id, for the routes. */
export function lessonIndex(lessons: Lesson[]): ReadonlyMap<string, Lesson> {
  return new Map(lessons.map((lesson) => [lesson.meta.id, lesson]));
}

/** The one lesson lookup: a lesson by id, or a 404 naming it. */
export function lessonById(lessons: ReadonlyMap<string, Lesson>, id: string): Lesson {
  const lesson = lessons.get(id);
  if (!lesson) throw notFound(`no lesson ${id}`);
  return lesson;
}

/** The languages a lesson can be read in: the source's first, then its translations'. */
export function lessonLanguages(lesson: Lesson): string[] {
  return [lesson.lang, ...[...(lesson.translations?.keys() ?? [])].sort()];
}

/** The lesson in `lang` when it has that translation, else the source lesson. */
export function lessonIn(lesson: Lesson, lang: string | undefined): Lesson {
  return (lang && lesson.translations?.get(lang)) || lesson;
}
