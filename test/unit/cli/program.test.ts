import type { Command } from 'commander';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../server/config.js';
import { createProgram, serveOverrides, type Actions } from '../../../server/cli/program.js';

/** The program with actions that record what they were called with (the parsing is what is under test). */
function recorded(exitCodes: { lint?: number; prove?: number } = {}) {
  const calls: Array<[string, ...unknown[]]> = [];
  const actions: Actions = {
    serve: async (overrides) => void calls.push(['serve', overrides]),
    setPassword: async () => void calls.push(['set-password']),
    grade: async (options) => void calls.push(['grade', options]),
    lint: async (dir) => (calls.push(['lint', dir]), exitCodes.lint ?? 0),
    prove: async (lesson, options) => (calls.push(['prove', lesson, options]), exitCodes.prove ?? 0),
    capacity: async (options) => (calls.push(['capacity', options]), 0),
    engines: async (action) => (calls.push(['engines', action]), 0),
  };
  const errors: string[] = [];
  const program = createProgram(actions);
  const quiet = (command: Command) => {
    command.exitOverride().configureOutput({ writeErr: (text) => void errors.push(text), writeOut: () => undefined });
    command.commands.forEach(quiet);
  };
  quiet(program);
  const run = (...args: string[]) => program.parseAsync(['node', 'workshop', ...args]);
  return { calls, errors, run };
}

afterEach(() => {
  process.exitCode = undefined;
});

describe('the workshop command line', () => {
  it('capacity and engines: their options, and what they refuse', async () => {
    const cli = recorded();
    await cli.run('capacity', '--lesson', 'services', '--learners', '60', '--measure');
    await cli.run('engines', 'drain', 'host2', '--server', 'http://localhost:8080', '--token', 't');
    await cli.run('engines', '--server', 'http://localhost:8080', '--token', 't');
    expect(cli.calls).toEqual([
      ['capacity', { lesson: 'services', learners: 60, measure: true }],
      ['engines', { action: 'drain', engine: 'host2', server: 'http://localhost:8080', token: 't' }],
      ['engines', { action: 'list', server: 'http://localhost:8080', token: 't' }],
    ]);
    await expect(cli.run('capacity', '--lesson', 'services', '--learners', 'many')).rejects.toThrow();
    await expect(cli.run('engines', 'drain', '--server', 'http://localhost:8080', '--token', 't')).rejects.toThrow(/drain needs the engine's name/);
  });

  it('serve: --lessons (repeatable), --no-builtin and --no-watch become config overrides', async () => {
    const cli = recorded();
    await cli.run('serve', '--lessons', 'mine', '--lessons', '/srv/more', '--no-builtin', '--no-watch');
    expect(cli.calls).toEqual([['serve', { lessonsDirs: ['mine', '/srv/more'], builtInLessons: false, watchLessons: false }]]);
    const plain = recorded();
    await plain.run('serve');
    expect(plain.calls).toEqual([['serve', {}]]);
  });

  it('serve overrides and the environment make a valid configuration', () => {
    const fromOptions = loadConfig({ overrides: serveOverrides({ lessons: ['a'], builtin: false, watch: true }) });
    expect([fromOptions.lessonsDirs, fromOptions.builtInLessons, fromOptions.watchLessons]).toEqual([['a'], false, true]);
    const fromEnv = loadConfig({ env: { WORKSHOP_LESSONS_DIRS: 'one:two', WORKSHOP_BUILTIN_LESSONS: 'false', WORKSHOP_WATCH_LESSONS: '0' } });
    expect([fromEnv.lessonsDirs, fromEnv.builtInLessons, fromEnv.watchLessons]).toEqual([['one', 'two'], false, false]);
    const defaults = loadConfig({});
    expect([defaults.lessonsDirs, defaults.builtInLessons, defaults.watchLessons, defaults.metricsToken]).toEqual([[], true, true, undefined]);
    expect(() => loadConfig({ env: { WORKSHOP_METRICS_TOKEN: 'short' } })).toThrow(/metricsToken/);
  });

  it('lint: an optional folder, and its exit code becomes the process exit code', async () => {
    const clean = recorded();
    await clean.run('lint');
    expect(clean.calls).toEqual([['lint', undefined]]);
    expect(process.exitCode).toBe(0);
    const dirty = recorded({ lint: 1 });
    await dirty.run('lint', 'my-lessons');
    expect(dirty.calls).toEqual([['lint', 'my-lessons']]);
    expect(process.exitCode).toBe(1);
  });

  it('prove: a lesson, an optional server URL and lessons folder', async () => {
    const cli = recorded({ prove: 1 });
    await cli.run('prove', 'hello-swarm', '--server', 'http://127.0.0.1:8080', '--lessons', 'lessons-starter');
    expect(cli.calls).toEqual([['prove', 'hello-swarm', { server: 'http://127.0.0.1:8080', lessons: 'lessons-starter' }]]);
    expect(process.exitCode).toBe(1);
    const bare = recorded();
    await bare.run('prove', 'lessons/03-services.md');
    expect(bare.calls).toEqual([['prove', 'lessons/03-services.md', {}]]);
  });

  it('prove: refuses a missing lesson and a server that is not a URL, without calling the action', async () => {
    const missing = recorded();
    await expect(missing.run('prove')).rejects.toThrow(/missing required argument 'lesson'/);
    const notUrl = recorded();
    await expect(notUrl.run('prove', 'x', '--server', 'localhost:8080')).rejects.toThrow(/http:\/\/ or https:\/\/ URL/);
    expect([...missing.calls, ...notUrl.calls]).toEqual([]);
  });

  it('grade keeps its options (1-based steps become 0-based)', async () => {
    const cli = recorded();
    await cli.run('grade', '--lesson', 'services', '--step', '2', '--docker-host', 'tcp://10.0.0.1:2375');
    expect(cli.calls).toEqual([['grade', { lesson: 'services', step: 1, dockerHost: 'tcp://10.0.0.1:2375', node: [], name: 'learner', lang: 'en' }]]);
    await expect(recorded().run('grade', '--lesson', 'x', '--step', '0')).rejects.toThrow(/a step is a number from 1/);
  });
});
