import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { lintCommand } from '../../../server/cli/lint.js';
import { findLesson } from '../../../server/cli/prove.js';

const STARTER = fileURLToPath(new URL('../../../lessons-starter/', import.meta.url));

const lesson = (id: string, checkLines: string[]) =>
  ['---', `id: ${id}`, 'title: T', 'summary: S', 'template: single', 'swarm: false', 'minutes: 5', '---', '', '## Step', '', '```check', ...checkLines, '```', ''].join('\n');

function folder(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'lint-cli-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

async function lint(dir: string) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await lintCommand(dir, (l) => out.push(l), (l) => err.push(l));
  return { code, out, err };
}

describe('workshop lint', () => {
  it('prints each problem as file:line: message and exits 1', async () => {
    const dir = folder({
      'good.md': lesson('good', ['id: ok', 'title: t', 'hint: h', 'assert:', '  - swarm: node1', '    state: active']),
      'no-hint.md': lesson('no-hint', ['id: ok', 'title: t', 'assert:', '  - swarm: node9']),
    });
    const { code, out } = await lint(dir);
    const shown = relative(process.cwd(), dir);
    expect(out).toEqual([
      `${shown}/no-hint.md:12: check "t": give it a \`hint:\` for the learner who fails it`,
      `${shown}/no-hint.md:12: check "t": node \`node9\` is not in template single`,
      '2 problems',
    ]);
    expect(code).toBe(1);
  });

  it('exits 0 on a clean folder (the starter lesson is one) and 2 on a folder it cannot read', async () => {
    expect((await lint(STARTER)).code).toBe(0);
    const missing = await lint('/nonexistent/lessons');
    expect(missing.code).toBe(2);
    expect(missing.err[0]).toMatch(/cannot read lessons in \/nonexistent\/lessons/);
  });
});

describe("prove's lesson argument", () => {
  it('finds a lesson by file path or by id, never by a check that has that id', () => {
    expect(findLesson(join(STARTER, 'hello-swarm.md'), []).lesson.meta.id).toBe('hello-swarm');
    const found = findLesson('hello-swarm', [STARTER]);
    expect(found.lesson.steps.map((s) => s.title)).toEqual(['Start a swarm', 'Run a service']);
    expect(found.dir).toBe(STARTER.replace(/\/$/, ''));
    expect(() => findLesson('node1-leads-a-swarm', [STARTER])).toThrow(/no lesson with id node1-leads-a-swarm/);
    expect(() => findLesson('missing.md', [STARTER])).toThrow(/no lesson file missing.md/);
  });
});
