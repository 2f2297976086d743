import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { lintLessonDirectory, lintLessonSource } from '../../../server/lessons/lint.js';

describe('lesson lint', () => {
  it('finds no problem in any lesson of lessons/', async () => {
    const problems = await lintLessonDirectory(fileURLToPath(new URL('../../../lessons/', import.meta.url)));
    expect(problems.map((p) => `${p.file}:${p.line}: ${p.message}`)).toEqual([]);
  });

  it('reports broken lessons with the right line numbers', () => {
    const broken = [
      '---', //            1
      'id: Bad Id', //     2
      'title: Broken', //  3
      'summary: x', //     4
      'template: single', // 5
      'swarm: false', //   6
      'minutes: 5', //     7
      '---', //            8
      '', //               9
      '## Step', //        10
      '', //               11
      '```sh node=node2 colour=red', // 12
      'echo {{node2.ip}} {{swarm.secret}}', // 13
      '```', //            14
      '', //               15
      '```check', //       16
      'title: t', //       17
      'assert:', //        18
      '  - service: web', // 19
      '    replicas: many', // 20
      '  - pods: web', //  21
      '  - custom: nope', // 22
      '  - swarm: node4', // 23
      '```', //            24
    ].join('\n');
    const problems = lintLessonSource(broken, 'broken.md').map((p) => `${p.line}: ${p.message}`);
    expect(problems).toEqual([
      '2: front matter id: the id is kebab-case, e.g. swarm-init',
      '12: unknown code block attribute `colour=red`',
      '20: check assert.0.replicas: Invalid input: expected number, received string',
      '21: check assert.1: unknown assertion kind `pods`; an assertion starts with one of: swarm, cluster, nodes, leader, node, service, tasks, stack, network, volume, secret, config, probe, custom',
    ]);
  });

  it('checks node names, placeholders and custom names against the template', () => {
    const lesson = [
      '---', 'id: ok', 'title: T', 'summary: S', 'template: single', 'swarm: false', 'minutes: 5', '---', '',
      '## Step', '',
      '```sh node=node2', 'echo {{node2.ip}} {{swarm.secret}}', '```', '',
      '```check', 'title: t', 'assert:', '  - custom: nope', '  - swarm: node4', '```',
    ].join('\n');
    expect(lintLessonSource(lesson, 'ok.md').map((p) => `${p.line}: ${p.message}`)).toEqual([
      '12: node `node2` is not in template single (node1)',
      '12: unknown placeholder {{node2.ip}}',
      '12: unknown placeholder {{swarm.secret}}',
      '16: check "t": give it a stable `id:` (kebab-case, unique in the lesson)',
      '16: check "t": give it a `hint:` for the learner who fails it',
      '16: check "t": unknown custom check `nope`',
      '16: check "t": node `node4` is not in template single',
    ]);
  });

  it('accepts a check with an id and a hint', () => {
    const lesson = [
      '---', 'id: ok', 'title: T', 'summary: S', 'template: single', 'swarm: false', 'minutes: 5', '---', '',
      '## Step', '',
      '```check', 'id: node1-active', 'title: t', 'hint: Run docker swarm init.', 'assert:', '  - swarm: node1', '```',
    ].join('\n');
    expect(lintLessonSource(lesson, 'ok.md')).toEqual([]);
  });

  it('needs front matter and steps', () => {
    expect(lintLessonSource('# no front matter', 'x.md')).toEqual([{ file: 'x.md', line: 1, message: 'a lesson starts with YAML front matter between `---` lines' }]);
  });
});
