import { describe, expect, it } from 'vitest';
import { lintTranslationSource } from '../../../server/lessons/lint.js';
import { parseLesson } from '../../../server/lessons/parse-lesson.js';
import { parseTranslation } from '../../../server/lessons/parse-translation.js';

const source = [
  '---', 'id: demo', 'title: Demo', 'summary: A demo.', 'template: swarm-1m2w', 'swarm: true', 'minutes: 5', '---', '',
  'Intro.', '',
  '## Create', '',
  '```sh node=node1', 'docker service create --detach --name web web:1', '```', '',
  '```sh', 'echo display only', '```', '',
  '```check', 'id: web-exists', 'title: web exists', 'hint: Create it.', 'assert:', '  - service: web', '```', '',
  '## Scale', '',
  '```sh node=node1', 'docker service scale --detach web=3', '```', '',
  '```sh node=node1 solution', 'docker service scale --detach web=3', '```', '',
  '```check', 'id: web-scaled', 'title: three replicas', 'hint: Scale it.', 'assert:', '  - service: web', '    replicas: 3', '```',
].join('\n');

/** A correct translation, as lines, so each test can break one thing and know the line it is on. */
const good = [
  '---', //                           1
  'title: 데모', //                    2
  'summary: 데모입니다.', //            3
  '---', //                           4
  '', //                              5
  '소개.', //                          6
  '', //                              7
  '## 만들기', //                      8
  '', //                              9
  '```block', '```', //               10-11
  '', //                              12
  '```block', '```', //               13-14
  '', //                              15
  '```check-text', 'id: web-exists', 'title: web이 있음', 'hint: 만드세요.', '```', // 16-20
  '', //                              21
  '## 스케일', //                      22
  '', //                              23
  '```block', '```', //               24-25
  '', //                              26
  '```block', '```', //               27-28
  '', //                              29
  '```check-text', 'id: web-scaled', 'title: 레플리카 세 개', 'hint: 스케일하세요.', '```', // 30-34
];

const lint = (lines: string[]) => lintTranslationSource(lines.join('\n'), 'ko/demo.md', 'ko', source, 'demo.md').map((p) => `${p.file}:${p.line}: ${p.message}`);
const without = (from: number, count: number) => good.filter((_, i) => i < from - 1 || i >= from - 1 + count);

describe('translation lint', () => {
  it('accepts a translation with every step, block reference and check text', () => {
    expect(lint(good)).toEqual([]);
  });

  it('reports a missing step', () => {
    expect(lint(good.slice(0, 21))).toEqual(['ko/demo.md:21: step 1 "Scale" (source line 30) is missing: the translation has 1 steps, the source 2']);
  });

  it('reports a step the source does not have', () => {
    expect(lint([...good, '', '## 덤', '', '덤입니다.'])).toEqual(['ko/demo.md:36: step "덤" is not in the source (it has 2 steps)']);
  });

  it('reports a missing block reference at its step, naming the source line', () => {
    expect(lint(without(13, 3))).toEqual(['ko/demo.md:8: step 0 "Create": no ```block for the source\'s code block on line 18']);
  });

  it('reports a block reference the source does not have', () => {
    expect(lint([...good.slice(0, 15), '```block', '```', ...good.slice(15)])).toEqual([
      'ko/demo.md:16: step 0 "Create" has 2 code blocks in the source: this ```block has none to show',
    ]);
  });

  it('refuses a code block of its own, and a block reference with text in it', () => {
    const own = [...good.slice(0, 12), '```sh node=node1', 'docker service rm web', '```', ...good.slice(12)];
    expect(lint(own)).toEqual(['ko/demo.md:13: a translation cannot add a code block or check of its own (```sh node=node1): write ```block where the source has a block, ```check-text for a check']);
    const filled = good.map((line, i) => (i === 10 ? 'docker service create web:1\n```' : line));
    expect(lint(filled)).toEqual(['ko/demo.md:10: a block reference is an empty ```block fence: the code comes from the source']);
    const indented = [...good.slice(0, 7), '    docker service rm web', '', ...good.slice(7)];
    expect(lint(indented)[0]).toBe('ko/demo.md:8: indented code in a translation: code comes from the source (write ```block where the source has a block)');
  });

  it('refuses a check of its own', () => {
    const own = [...good, '', '```check', 'id: extra', 'title: extra', 'assert:', '  - service: web', '```'];
    expect(lint(own)).toEqual(['ko/demo.md:36: a translation cannot add a code block or check of its own (```check): write ```block where the source has a block, ```check-text for a check']);
  });

  it('reports a check without its check text', () => {
    expect(lint(without(30, 5))).toEqual(['ko/demo.md:22: step 1 "Scale": no ```check-text for check `web-scaled` (source line 40)']);
  });

  it('reports a check text without a title', () => {
    expect(lint(without(18, 1))).toEqual(['ko/demo.md:17: check-text title: Invalid input: expected string, received undefined']);
  });

  it('reports a missing hint where the source has one', () => {
    expect(lint(without(33, 1))).toEqual(['ko/demo.md:30: check-text `web-scaled`: the source has a hint, translate it (`hint:`)']);
  });

  it('reports an unknown check id, a check text in the wrong step, and a duplicate', () => {
    const unknown = good.map((line) => (line === 'id: web-scaled' ? 'id: web-scale' : line));
    expect(lint(unknown)).toEqual([
      'ko/demo.md:22: step 1 "Scale": no ```check-text for check `web-scaled` (source line 40)',
      'ko/demo.md:30: check-text `web-scale`: the source has no check with this id',
    ]);
    const moved = [...good.slice(0, 15), ...good.slice(29, 34), ...good.slice(15, 29)];
    expect(lint(moved)).toEqual(['ko/demo.md:16: check-text `web-scaled` is in step 0; the source has that check in step 1 "Scale"']);
    expect(lint([...good, '', ...good.slice(29, 34)])).toEqual(['ko/demo.md:36: check-text `web-scaled` is also on line 30']);
  });

  it('refuses assertions or other keys in a check text, and front matter beyond title and summary', () => {
    const withAssert = [...good.slice(0, 19), 'points: 5', ...good.slice(19)];
    expect(lint(withAssert)).toEqual(['ko/demo.md:17: check-text: Unrecognized key: "points"']);
    const withId = [good[0], 'id: other', ...good.slice(1)];
    expect(lint(withId)).toEqual(['ko/demo.md:2: front matter: Unrecognized key: "id"']);
  });

  it('merges: the source\'s blocks and check ids, translated words', () => {
    const lesson = parseLesson(source, 'demo.md');
    const translated = parseTranslation(good.join('\n'), 'ko/demo.md', 'ko', lesson);
    expect(translated.lang).toBe('ko');
    expect(translated.meta).toEqual({ ...lesson.meta, title: '데모', summary: '데모입니다.' });
    expect(translated.steps.map((s) => s.title)).toEqual(['만들기', '스케일']);
    expect(translated.steps.map((s) => s.blocks)).toEqual(lesson.steps.map((s) => s.blocks));
    expect(translated.steps[1].checks).toEqual([{ ...lesson.steps[1].checks[0], title: '레플리카 세 개', hint: '스케일하세요.' }]);
    expect(translated.steps[0].html).toContain('<div class="code-block" data-step="0" data-block="0" data-node="node1">');
    expect(translated.steps[0].html).toContain('<pre><code class="language-sh">echo display only');
    expect(translated.steps[1].html).not.toContain('data-block="1"');
    expect(translated.steps[1].solutionHtml).toBe(lesson.steps[1].solutionHtml);
  });
});
