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
import { parseLesson } from '../../server/lessons/parse-lesson.js';
import { describeStep, proveLesson } from '../../server/lessons/prove-lesson.js';

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

describe('lessons run end to end', () => {
  for (const lesson of lessons) {
    it(`${lesson.file}: every step fails before, runs, then passes`, { timeout: 20 * 60_000 }, async () => {
      const session = await RestSession.create(baseUrl!, lesson);
      try {
        const proof = await proveLesson(lesson, session.driver(lesson), (step) => console.log(describeStep(step).join('\n')));
        expect(proof.problems).toEqual([]);
      } finally {
        await session.end();
      }
    });
  }
});
