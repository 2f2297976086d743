import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { LessonLibrary, type LessonChange } from '../../../server/lessons/lesson-library.js';
import { lessonView } from '../../../server/lessons/lesson-view.js';

const BUILT_IN = fileURLToPath(new URL('../../../lessons/', import.meta.url));

function lesson(id: string, options: { title?: string; hint?: boolean; order?: number } = {}): string {
  return [
    '---', `id: ${id}`, `title: ${options.title ?? 'A lesson'}`, 'summary: S', 'template: single', 'swarm: false', 'minutes: 5',
    ...(options.order !== undefined ? [`order: ${options.order}`] : []),
    '---', '', '## Start', '', '```sh node=node1', 'docker swarm init', '```', '',
    '```check', 'id: active', 'title: node1 is in a swarm', ...(options.hint === false ? [] : ['hint: run docker swarm init']),
    'assert:', '  - swarm: node1', '    state: active', '```', '',
  ].join('\n');
}

/** Waits (with a deadline, not a sleep) until the library shows what is expected. */
async function until(probe: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!probe()) {
    if (Date.now() > deadline) throw new Error(`not reached in ${timeoutMs} ms: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const opened: LessonLibrary[] = [];
afterEach(() => opened.splice(0).forEach((library) => library.close()));

async function open(...folders: Array<{ dir: string; strict: boolean }>) {
  const library = await LessonLibrary.open(folders, { watch: true });
  opened.push(library);
  const changes: LessonChange[] = [];
  library.onChange((change) => changes.push(change));
  return { library, changes };
}

describe('the lesson library', () => {
  it('picks up a lesson written while it runs, its edits and its removal, without a restart', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lessons-'));
    const { library, changes } = await open({ dir, strict: false });
    expect([...library.lessons.keys()]).toEqual([]);

    writeFileSync(join(dir, 'mine.md'), lesson('mine'));
    await until(() => library.lessons.has('mine'), 'the new lesson is served');
    expect(library.lessons.get('mine')?.problems).toBeUndefined();

    writeFileSync(join(dir, 'mine.md'), lesson('mine', { title: 'Renamed', hint: false }));
    await until(() => library.lessons.get('mine')?.meta.title === 'Renamed', 'the edit is served');
    // The lint problem is attached to the lesson, with its line, and reaches the page's view.
    expect(lessonView(library.lessons.get('mine')!).problems).toEqual([{ line: 16, message: 'check "node1 is in a swarm": give it a `hint:` for the learner who fails it' }]);

    rmSync(join(dir, 'mine.md'));
    await until(() => !library.lessons.has('mine'), 'the removed lesson is gone');
    expect(changes.every((c) => c.ids.includes('mine'))).toBe(true);
    expect(changes.length).toBeGreaterThanOrEqual(3);
  });

  it('keeps the last good version while the file does not parse, showing why', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lessons-'));
    writeFileSync(join(dir, 'mine.md'), lesson('mine', { title: 'Good' }));
    const { library } = await open({ dir, strict: false });
    expect(library.lessons.get('mine')?.meta.title).toBe('Good');

    writeFileSync(join(dir, 'mine.md'), lesson('mine').replace('template: single', 'template: cluster-of-ten'));
    await until(() => (library.lessons.get('mine')?.problems?.length ?? 0) > 0, 'the problem is attached');
    const view = lessonView(library.lessons.get('mine')!);
    expect(view.title).toBe('Good');
    expect(view.problems?.[0]?.line).toBe(5);

    writeFileSync(join(dir, 'mine.md'), lesson('mine', { title: 'Fixed' }));
    await until(() => library.lessons.get('mine')?.meta.title === 'Fixed', 'the fix is served');
    expect(lessonView(library.lessons.get('mine')!).problems).toBeUndefined();
  });

  it("serves an operator's lessons next to the built-in ones, in order, replacing one with the same id", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lessons-'));
    writeFileSync(join(dir, 'a.md'), lesson('my-first', { order: 0 }));
    writeFileSync(join(dir, 'b.md'), lesson('services', { title: 'Our own services lesson', order: 3 }));
    const { library } = await open({ dir: BUILT_IN, strict: true }, { dir, strict: false });
    const ids = [...library.lessons.keys()];
    expect(ids[0]).toBe('my-first');
    expect(ids).toContain('swarm-init');
    expect(ids.filter((id) => id === 'services')).toEqual(['services']);
    expect(library.lessons.get('services')?.meta.title).toBe('Our own services lesson');
  });

  it('refuses to start with a built-in lesson that does not parse, and names the folder it cannot read', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lessons-'));
    writeFileSync(join(dir, 'broken.md'), 'no front matter');
    await expect(LessonLibrary.open([{ dir, strict: true }])).rejects.toThrow(/broken.md:1: a lesson starts with YAML front matter/);
    const lenient = await LessonLibrary.open([{ dir, strict: false }]);
    expect(lenient.lessons.size).toBe(0);
    await expect(LessonLibrary.open([{ dir: join(dir, 'missing'), strict: false }])).rejects.toThrow(/lessons folder .*missing cannot be read \(ENOENT\)/);
  });

  it('serves the built-in lessons with their translations attached, as the loader does', async () => {
    const library = await LessonLibrary.open([{ dir: BUILT_IN, strict: true }]);
    opened.push(library);
    for (const served of library.lessons.values()) {
      expect([...(served.translations?.keys() ?? [])], served.meta.id).toContain('ko');
      expect(lessonView(served, 'ko').lang).toBe('ko');
    }
  });
});
