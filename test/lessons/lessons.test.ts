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

describe('lessons run end to end', () => {
  for (const lesson of lessons) {
    it(`${lesson.file}: every step fails before, runs, then passes, and every check stays earned`, { timeout: 20 * 60_000 }, async () => {
      const session = await RestSession.create(baseUrl!, lesson);
      try {
        const proof = await proveLesson(lesson, session.driver(lesson), (step) => console.log(describeStep(step).join('\n')));
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
