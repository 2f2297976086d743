/**
 * The lesson runner: proves every lesson in lessons/ against a workshop server on real nodes, through the
 * same REST routes a learner's page and a grader use (RestSession; `workshop prove` does the same for one
 * lesson): blocks run by reference through `/run` (solution blocks, which `/run` refuses, through exec),
 * checks through `/checks`. It starts its own server; set
 * WORKSHOP_URL to run it against one that is already running instead. LESSON=<id> runs one lesson.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../server/server.js';
import { startTestServer } from '../support/test-server.js';
import { RestSession } from '../../server/cli/rest-session.js';
import { loadLessons } from '../../server/lessons/load-lessons.js';
import { parseLesson } from '../../server/lessons/parse-lesson.js';
import { describeStep, proveLesson } from '../../server/lessons/prove-lesson.js';
import type { LessonView } from '../../shared/lesson-protocol.js';
import { TEMPLATES } from '../../server/nodes/templates.js';
import { translationDifferences } from './translation-parity.js';

let baseUrl = process.env.WORKSHOP_URL;
let server: RunningServer | undefined;
const lessonsDir = fileURLToPath(new URL('../../lessons/', import.meta.url));
const lessons = readdirSync(lessonsDir)
  .filter((f) => f.endsWith('.md'))
  .sort()
  .map((f) => parseLesson(readFileSync(`${lessonsDir}${f}`, 'utf8'), f))
  .filter((lesson) => !process.env.LESSON || lesson.meta.id === process.env.LESSON);

beforeAll(async () => {
  if (baseUrl) return;
  // Some solution blocks wait in loops for the swarm to converge: allow them the time.
  server = await startTestServer('t-lessons', { limits: { execTimeoutSeconds: 300 }, classroom: { checkIntervalSeconds: 0 } });
  baseUrl = server.url;
});

afterAll(async () => {
  await server?.close();
});

// Translations, parsed as the server parses them, to know which pages to ask for.
const translated = (await loadLessons(lessonsDir)).filter((lesson) => !process.env.LESSON || lesson.meta.id === process.env.LESSON);

describe('translated pages show the same blocks and checks', () => {
  for (const lesson of translated) {
    for (const lang of lesson.translations?.keys() ?? []) {
      it(`${lang}/${lesson.file}: the served page's Run buttons run the source's blocks, its checks are the source's`, async () => {
        const response = await fetch(`${baseUrl}/api/lessons/${lesson.meta.id}?lang=${lang}`);
        expect(response.status).toBe(200);
        expect(translationDifferences(lesson, (await response.json()) as LessonView, lang)).toEqual([]);
      });
    }
  }
});

const TASKS = `docker service ps --no-trunc --format '{{.Name}} on {{.Node}}: {{.DesiredState}} / {{.CurrentState}} {{.Error}}' $(docker service ls -q) 2>&1 | head -60`;

/** What the swarm says about its nodes and tasks, from the first node that answers as a manager: why a check did not converge. */
async function clusterState(driver: ReturnType<RestSession['driver']>, nodes: string[]): Promise<string> {
  for (const node of nodes) {
    const nodeList = await driver.exec(node, 'docker node ls 2>&1', 20).catch((error: Error) => ({ exitCode: 1, output: error.message }));
    if (nodeList.exitCode !== 0) continue;
    const tasks = await driver.exec(node, TASKS, 20).catch((error: Error) => ({ exitCode: 1, output: error.message }));
    return `${node}: docker node ls\n${nodeList.output}\n${node}: tasks\n${tasks.output}`;
  }
  return 'no node answered as a swarm manager';
}

describe('lessons run end to end', () => {
  for (const lesson of lessons) {
    it(`${lesson.file}: every step fails before, runs, then passes, and every check stays earned`, { timeout: 20 * 60_000 }, async () => {
      const session = await RestSession.create(baseUrl!, lesson);
      try {
        const driver = session.driver(lesson);
        const proof = await proveLesson(lesson, driver, (step) => console.log(describeStep(step).join('\n')));
        if (proof.problems.length > 0) console.log(`${lesson.file}: the cluster when the proof stopped\n${await clusterState(driver, TEMPLATES[lesson.meta.template].map((n) => n.name))}`);
        expect(proof.problems).toEqual([]);
        // No check becomes unpassable because the learner went ahead: after a whole-lesson re-check (the
        // schedule, "Grade now"), every check that counts is earned (or holds now, for a final-state lesson).
        const report = await session.recheckAndReport(lesson);
        expect(report.rule).toBe(lesson.meta.grading);
        const short = report.checks.filter((c) => !c.precondition && (!c.passed || c.earned !== c.possible));
        expect(short.map((c) => `${c.id}: ${c.earned}/${c.possible} ${c.failures.map((f) => f.message).join('; ')}`)).toEqual([]);
        expect(report).toMatchObject({ passed: true, earned: report.possible });
      } finally {
        await session.end();
      }
    });
  }
});
