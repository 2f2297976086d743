import { watch, type FSWatcher } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { ConfigError, type Config } from '../config.js';
import type { Logger } from '../logger.js';
import type { Lesson, LessonProblem } from './lesson-types.js';
import { lintLessonSource } from './lint.js';
import { isLessonFile, translationLanguages } from './load-lessons.js';
import { parseTranslation } from './parse-translation.js';
import { parseLesson, parseLessonSource } from './parse-lesson.js';

/** A folder of lessons. `strict`: a lesson that does not parse stops the start (the built-in ones must all work). */
export interface LessonFolder {
  dir: string;
  strict: boolean;
}

/** The folders a configuration serves: the built-in lessons (unless turned off), then the operator's own, which win. */
export function lessonFolders(config: Pick<Config, 'lessonsDir' | 'lessonsDirs' | 'builtInLessons'>): LessonFolder[] {
  return [...(config.builtInLessons ? [{ dir: config.lessonsDir, strict: true }] : []), ...config.lessonsDirs.map((dir) => ({ dir, strict: false }))];
}

export interface LessonChange {
  /** Path of the file that changed. */
  file: string;
  /** Ids of the lessons that were added, replaced or removed. */
  ids: string[];
}

interface Entry {
  folder: number;
  file: string;
  /** The last version that parsed, with the problems of the file as last read. */
  lesson?: Lesson;
}

/** A translation's text (`<lang>/<same file name>` in a lessons folder), parsed against its source lesson when served. */
interface TranslationSource {
  folder: number;
  lang: string;
  file: string;
  text: string;
}

const DEBOUNCE_MS = 150;

/**
 * Every lesson the server serves, from the built-in folder and operators' own folders, kept in one live map:
 * the routes, the checks, the classroom and grading all hold `lessons`, so a reloaded lesson reaches them all
 * without rewiring. With `watch`, a file is re-read (debounced: editors write in several steps) when it
 * changes; it is re-parsed and re-linted, and a version that no longer parses keeps the last good one with
 * the new problems attached, so the page shows what to fix instead of the lesson vanishing.
 */
export class LessonLibrary {
  readonly lessons = new Map<string, Lesson>();
  private readonly entries = new Map<string, Entry>();
  private readonly translations: TranslationSource[] = [];
  private readonly watchers: FSWatcher[] = [];
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly listeners = new Set<(change: LessonChange) => void>();
  private readonly folders: LessonFolder[];

  private constructor(folders: LessonFolder[], private readonly log?: Logger) {
    this.folders = folders.map((f) => ({ ...f, dir: resolve(f.dir) }));
  }

  static async open(folders: LessonFolder[], options: { watch?: boolean; log?: Logger } = {}): Promise<LessonLibrary> {
    const library = new LessonLibrary(folders, options.log);
    for (const [index, folder] of library.folders.entries()) {
      const names = await readdir(folder.dir).catch((error: NodeJS.ErrnoException) => {
        throw new ConfigError(`the lessons folder ${folder.dir} cannot be read (${error.code ?? error.message})`);
      });
      for (const name of names.filter(isLessonFile).sort()) {
        const path = join(folder.dir, name);
        const { lesson, problems } = read(await readFile(path, 'utf8'), name, folder.strict);
        library.entries.set(path, { folder: index, file: name, lesson });
        library.report(path, problems);
      }
      for (const lang of await translationLanguages(folder.dir)) {
        for (const name of (await readdir(join(folder.dir, lang))).filter(isLessonFile).sort()) {
          library.translations.push({ folder: index, lang, file: name, text: await readFile(join(folder.dir, lang, name), 'utf8') });
        }
      }
    }
    library.rebuild();
    if (options.watch) library.watch();
    return library;
  }

  onChange(listener: (change: LessonChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  close(): void {
    for (const watcher of this.watchers.splice(0)) watcher.close();
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
  }

  private watch(): void {
    for (const [index, folder] of this.folders.entries()) {
      try {
        const watcher = watch(folder.dir, (_event, name) => {
          if (name === null) for (const path of [...this.entries.keys()].filter((p) => this.entries.get(p)?.folder === index)) this.schedule(index, path);
          else if (isLessonFile(name)) this.schedule(index, join(folder.dir, name));
        });
        watcher.on('error', (error) => this.log?.warn({ err: error, dir: folder.dir }, 'stopped watching a lessons folder'));
        this.watchers.push(watcher);
      } catch (error) {
        // Some systems run out of watches (inotify limits): lessons still work, only without live reload.
        this.log?.warn({ err: error, dir: folder.dir }, 'cannot watch a lessons folder; edits need a restart');
      }
    }
  }

  private schedule(folder: number, path: string): void {
    clearTimeout(this.timers.get(path));
    this.timers.set(path, setTimeout(() => {
      this.timers.delete(path);
      void this.reload(folder, path).catch((error) => this.log?.error({ err: error, file: path }, 'could not reload a lesson'));
    }, DEBOUNCE_MS));
  }

  /** Re-reads one file: added, changed or removed. */
  private async reload(folder: number, path: string): Promise<void> {
    const before = this.entries.get(path)?.lesson?.meta.id;
    const name = path.slice(this.folders[folder].dir.length + 1);
    let source: string | undefined;
    try {
      source = await readFile(path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    if (source === undefined) {
      this.entries.delete(path);
    } else {
      const fresh = read(source, name, false);
      const previous = this.entries.get(path)?.lesson;
      // A version that does not parse keeps the last good one, carrying the new problems for the page.
      const lesson = fresh.lesson ?? (previous && { ...previous, problems: fresh.problems });
      this.entries.set(path, { folder, file: name, lesson });
      this.report(path, fresh.problems);
    }
    this.rebuild();
    const after = this.entries.get(path)?.lesson?.meta.id;
    const ids = [...new Set([before, after].filter((id): id is string => id !== undefined))];
    this.log?.info({ file: path, lessons: ids }, source === undefined ? 'lesson removed' : 'lesson reloaded');
    for (const listener of this.listeners) listener({ file: path, ids });
  }

  /** Logs a file's problems, so an author without the page open still sees them. */
  private report(path: string, problems: LessonProblem[]): void {
    for (const problem of problems) this.log?.warn(`${path}:${problem.line}: ${problem.message}`);
  }

  /**
   * A lesson with the translations of its folder attached (parsed against this version of it, so an edited
   * source keeps its translations in step). A built-in translation that no longer fits stops the start, as a
   * built-in lesson does; an operator's is left out with its problems logged.
   */
  private translated(lesson: Lesson): Lesson {
    const entry = [...this.entries.values()].find((e) => e.lesson === lesson);
    if (!entry) return lesson;
    const found = new Map<string, Lesson>();
    for (const t of this.translations.filter((t) => t.folder === entry.folder && t.file === entry.file)) {
      try {
        found.set(t.lang, parseTranslation(t.text, `${t.lang}/${t.file}`, t.lang, lesson));
      } catch (error) {
        if (this.folders[entry.folder].strict) throw error;
        this.log?.warn({ err: error, file: `${t.lang}/${t.file}` }, 'a translation does not fit its lesson; served in English');
      }
    }
    return found.size ? { ...lesson, translations: found } : lesson;
  }

  /** Refills the live map in serving order, in one synchronous pass so no reader sees it half built. */
  private rebuild(): void {
    const chosen = new Map<string, Lesson>();
    for (const entry of [...this.entries.values()].sort((a, b) => a.folder - b.folder || a.file.localeCompare(b.file))) {
      if (!entry.lesson) continue;
      const id = entry.lesson.meta.id;
      // Later folders are the operator's: their lesson replaces a built-in one of the same id.
      if (chosen.has(id)) this.log?.info({ lesson: id, file: entry.file }, 'a lesson replaces an earlier one with the same id');
      chosen.set(id, entry.lesson);
    }
    const ordered = [...chosen.values()].map((lesson) => this.translated(lesson)).sort((a, b) => (a.meta.order ?? Infinity) - (b.meta.order ?? Infinity) || a.file.localeCompare(b.file));
    this.lessons.clear();
    for (const lesson of ordered) this.lessons.set(lesson.meta.id, lesson);
  }
}

/**
 * One lesson file, parsed, with every lint problem attached to it. A strict folder throws when it does not
 * parse (as the server always has); otherwise a file whose front matter does not parse yields no lesson.
 */
function read(source: string, file: string, strict: boolean): { lesson?: Lesson; problems: LessonProblem[] } {
  const problems = lintLessonSource(source, file);
  const lesson = strict ? parseLesson(source, file) : parseLessonSource(source, file).lesson;
  if (!lesson) return { problems };
  return { lesson: problems.length ? { ...lesson, problems } : lesson, problems };
}
