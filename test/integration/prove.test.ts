import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { proveCommand } from '../../server/cli/prove.js';
import type { RunningServer } from '../../server/server.js';
import { SseReader } from '../support/sse-reader.js';
import { startTestServer } from '../support/test-server.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** Runs the real `workshop` command and collects what it prints and how it exits. */
function workshop(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile('node', ['bin/workshop.js', ...args], { cwd: ROOT, timeout: 240_000, env: { ...process.env, WORKSHOP_LOG_FORMAT: 'json' } }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout, stderr });
    });
  });
}

describe('workshop prove', () => {
  it('proves the starter lesson on a server of its own: per step, checks fail before and pass after', { timeout: 300_000 }, async () => {
    const { code, stdout, stderr } = await workshop(['prove', 'hello-swarm', '--lessons', 'lessons-starter']);
    expect({ code, stderr: code === 0 ? '' : stderr }).toEqual({ code: 0, stderr: '' });
    const lines = stdout.split('\n');
    expect(lines).toEqual(expect.arrayContaining([
      'step 1: Start a swarm',
      '  before  fail  node1 is the leader of a new swarm  (expected fail: ok)',
      '  run     block 0 on node1: exit 0',
      '  after   pass  node1 is the leader of a new swarm',
      'step 2: Run a service',
      '  before  fail  Service hello runs two replicas of web:1  (expected fail: ok)',
      '  run     solution block 0 on node1: exit 0',
      '  after   pass  Service hello runs two replicas of web:1',
      'PROVED hello-swarm: 2 steps',
    ]));
    expect(lines.indexOf('step 1: Start a swarm')).toBeLessThan(lines.indexOf('step 2: Run a service'));
  });

  describe('against a running server (--server)', () => {
    let server: RunningServer;
    let dir: string;

    beforeAll(async () => {
      dir = mkdtempSync(join(tmpdir(), 'prove-lessons-'));
      // A check that already passes before its step ran: the lesson teaches nothing there, and prove says so.
      writeFileSync(join(dir, 'already-true.md'), [
        '---', 'id: already-true', 'title: Already true', 'summary: S', 'template: single', 'swarm: false', 'minutes: 1', '---', '',
        '## Nothing to do', '', '```sh node=node1', 'docker info --format "{{.Swarm.LocalNodeState}}"', '```', '',
        '```check', 'id: inactive', 'title: node1 is not in a swarm', 'hint: h', 'assert:', '  - swarm: node1', '    state: inactive', '```', '',
      ].join('\n'));
      server = await startTestServer('t-prove', { builtInLessons: false, lessonsDirs: [dir], classroom: { checkIntervalSeconds: 0 } });
    });

    afterAll(async () => {
      await server?.close();
    });

    it('reports a check that passes before its step ran, and exits 1', { timeout: 120_000 }, async () => {
      const out: string[] = [];
      const code = await proveCommand('already-true', { server: server.url, lessons: dir }, (line) => out.push(line), (line) => out.push(line));
      expect(code).toBe(1);
      expect(out).toContain('  before  pass  node1 is not in a swarm  (expected fail: WRONG)');
      expect(out).toContain('NOT PROVED already-true:');
      expect(out).toContain('  already-true step 1 "Nothing to do": check "node1 is not in a swarm" passes before the step ran');
      expect(server.sessions.ids()).toEqual([]);
    });

    it('serves a lesson written while it runs, tells open pages, and shows its lint problems', async () => {
      const changes = await new SseReader<{ type: string; ids: string[] }>().open(`${server.url}/api/lesson-changes`);
      try {
        writeFileSync(join(dir, 'new-one.md'), [
          '---', 'id: new-one', 'title: New', 'summary: S', 'template: single', 'swarm: false', 'minutes: 1', '---', '',
          '## Step', '', '```check', 'id: no-hint', 'title: t', 'assert:', '  - swarm: node1', '```', '',
        ].join('\n'));
        await changes.waitFor((m) => m.type === 'lesson-changed' && m.ids.includes('new-one'));
        const list = (await (await fetch(`${server.url}/api/lessons`)).json()) as { lessons: Array<{ id: string }> };
        expect(list.lessons.map((l) => l.id)).toEqual(['already-true', 'new-one']);
        const view = (await (await fetch(`${server.url}/api/lessons/new-one`)).json()) as { problems?: unknown };
        expect(view.problems).toEqual([{ line: 12, message: 'check "t": give it a `hint:` for the learner who fails it' }]);
      } finally {
        await changes.close();
      }
    });

    it('refuses a lesson the server does not serve, and exits 2 without starting a session', async () => {
      const out: string[] = [];
      const code = await proveCommand(join(ROOT, 'lessons-starter/hello-swarm.md'), { server: server.url }, (line) => out.push(line), (line) => out.push(line));
      expect(code).toBe(2);
      expect(out).toEqual([`error: ${server.url} does not serve lesson hello-swarm; start it with \`workshop serve --lessons <its folder>\`, or leave out --server`]);
      expect(server.sessions.ids()).toEqual([]);
    });
  });
});
