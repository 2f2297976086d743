import { describe, expect, it } from 'vitest';
import { blockCommand, resolveBlockCommand } from '../../../server/lessons/block-command.js';
import { parseLesson, parseLessonSource } from '../../../server/lessons/parse-lesson.js';

const source = `---
id: demo
title: Demo
summary: A demo lesson.
template: swarm-1m2w
swarm: true
images: [web:1]
minutes: 5
---

Intro with <b>raw html</b>.

## First step

\`\`\`sh node=node1
docker service create --detach --name web web:1
\`\`\`

\`\`\`sh
echo display only
\`\`\`

\`\`\`yaml node=node1 file=/root/stack.yml
services: {}
\`\`\`

\`\`\`check
id: web-exists
title: web exists
points: 2
assert:
  - service: web
\`\`\`

## Second step

\`\`\`sh node=node2
docker swarm join --token {{swarm.worker_token}} {{manager.ip}}:2377
docker node ls --format '{{.Hostname}}'
\`\`\`

\`\`\`sh node=node1 solution
docker service scale web=2
\`\`\`
`;

describe('parseLesson', () => {
  const lesson = parseLesson(source, 'demo.md');

  it('reads the front matter', () => {
    expect(lesson.meta).toMatchObject({ id: 'demo', template: 'swarm-1m2w', swarm: true, images: ['web:1'], minutes: 5 });
  });

  it('splits steps at ## headings and keeps raw HTML escaped', () => {
    expect(lesson.steps.map((s) => s.title)).toEqual(['First step', 'Second step']);
    expect(lesson.introHtml).toContain('&lt;b&gt;raw html&lt;/b&gt;');
  });

  it('numbers runnable blocks per step and leaves display blocks out', () => {
    const [first, second] = lesson.steps;
    expect(first.blocks.map((b) => [b.index, b.node, b.file, b.line])).toEqual([[0, 'node1', undefined, 15], [1, 'node1', '/root/stack.yml', 23]]);
    expect(second.blocks.map((b) => [b.index, b.solution])).toEqual([[0, false], [1, true]]);
    expect(second.blocks[0].placeholders).toEqual(['swarm.worker_token', 'manager.ip']);
  });

  it('renders run metadata, removes checks and hides solutions', () => {
    const [first, second] = lesson.steps;
    expect(first.html).toContain('data-step="0" data-block="0" data-node="node1"');
    expect(first.html).toContain('data-file="/root/stack.yml"');
    expect(first.html).toContain('echo display only');
    expect(first.html).not.toContain('assert');
    expect(second.html).not.toContain('scale web=2');
    expect(second.solutionHtml).toContain('data-block="1"');
    expect(second.html).toContain('<span class="placeholder" data-placeholder="swarm.worker_token">{{swarm.worker_token}}</span>');
    expect(second.html).toContain("{{.Hostname}}");
  });

  it('parses checks with defaults', () => {
    expect(lesson.steps[0].checks).toEqual([
      { id: 'web-exists', declaredId: 'web-exists', step: 0, index: 0, line: 27, title: 'web exists', points: 2, solution: true, expectBefore: 'fail', hint: undefined, assertions: [{ kind: 'service', service: 'web' }] },
    ]);
  });

  it('keys checks by their declared id, falls back to <step>.<index>, and refuses a duplicate or malformed id', () => {
    const head = '---\nid: ids\ntitle: T\nsummary: S\ntemplate: single\nswarm: false\nminutes: 5\n---\n\n## Step\n\n';
    const check = (header: string) => `\`\`\`check\n${header}title: t\nassert:\n  - swarm: node1\n\`\`\`\n\n`;
    const ok = parseLessonSource(head + check('id: first-check\n') + check(''), 'ids.md');
    expect(ok.lesson?.steps[0].checks.map((c) => c.id)).toEqual(['first-check', '0.1']);
    const twice = parseLessonSource(head + check('id: same\n') + check('id: same\n'), 'ids.md');
    expect(twice.problems.map((p) => `${p.line}: ${p.message}`)).toEqual(['19: check id `same` is also used by the check on line 12']);
    const malformed = parseLessonSource(head + check('id: Not_Kebab\n'), 'ids.md');
    expect(malformed.problems.map((p) => `${p.line}: ${p.message}`)).toEqual(['13: check id: a check id is kebab-case, e.g. node2-joined']);
  });

  it('turns blocks into commands, file blocks into heredocs', () => {
    const values = { 'swarm.worker_token': 'SWMTKN-1-abc', 'manager.ip': '10.0.0.2' };
    expect(resolveBlockCommand(lesson, 1, 0, values)).toEqual({ node: 'node2', command: "docker swarm join --token SWMTKN-1-abc 10.0.0.2:2377\ndocker node ls --format '{{.Hostname}}'\n" });
    expect(blockCommand(lesson.steps[0].blocks[1], {})).toBe("mkdir -p \"$(dirname '/root/stack.yml')\" && cat > '/root/stack.yml' <<'WORKSHOP_FILE_END'\nservices: {}\nWORKSHOP_FILE_END\n");
    expect(() => resolveBlockCommand(lesson, 1, 5, values)).toThrow('lesson demo has no runnable block 5 in step 1');
  });
});
