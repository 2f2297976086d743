import { notFound } from '../errors.js';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Lesson } from './lesson-types.js';
import { parseLesson } from './parse-lesson.js';

/** A lesson file: `*.md`, except drafts and partials named `_*.md`. */
export function isLessonFile(name: string): boolean {
  return name.endsWith('.md') && !name.startsWith('_') && !name.startsWith('.');
}

/** Reads and parses every `*.md` lesson in a folder once, sorted by `order` then file name. Throws on any problem. */
export async function loadLessons(directory: string): Promise<Lesson[]> {
  const files = (await readdir(directory)).filter(isLessonFile).sort();
  const lessons = await Promise.all(files.map(async (name) => parseLesson(await readFile(join(directory, name), 'utf8'), name)));
  return lessons.sort((a, b) => (a.meta.order ?? Infinity) - (b.meta.order ?? Infinity) || a.file.localeCompare(b.file));
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
