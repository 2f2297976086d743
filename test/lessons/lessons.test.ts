/**
 * The lesson runner: proves every lesson in lessons/ against a workshop server on real nodes, through the
 * same REST routes a learner's page and a grader use: blocks run by reference through `/run` (solution
 * blocks, which `/run` refuses, through exec), checks through `/checks`. It starts its own server; set
 * WORKSHOP_URL to run it against one that is already running instead. LESSON=<id> runs one lesson.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../server/server.js';
import { startTestServer } from '../support/test-server.js';
import type { CheckRunView } from '../../server/checks/run-lesson-checks.js';
import type { GradeReport } from '../../shared/lesson-protocol.js';
import { parseLesson } from '../../server/lessons/parse-lesson.js';
import { computePlaceholderValues, type SessionNode } from '../../server/lessons/placeholder-values.js';
import { loadLessons } from '../../server/lessons/load-lessons.js';
import type { LessonView } from '../../shared/lesson-protocol.js';
import { proveLesson } from './prove-lesson.js';
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

interface RunAnswer {
  mode: 'exec' | 'terminal';
  exitCode: number;
  output: string;
}

interface CreatedSession {
  id: string;
  token: string;
  nodes: SessionNode[];
}

async function api<T>(method: string, path: string, token: string | undefined, body?: unknown): Promise<{ status: number; json: T }> {
  const response = await fetch(`${baseUrl}${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, json: (text ? JSON.parse(text) : undefined) as T };
}

// Translations, parsed as the server parses them, to know which pages to ask for.
const translated = (await loadLessons(lessonsDir)).filter((lesson) => !process.env.LESSON || lesson.meta.id === process.env.LESSON);

describe('translated pages show the same blocks and checks', () => {
  for (const lesson of translated) {
    for (const lang of lesson.translations?.keys() ?? []) {
      it(`${lang}/${lesson.file}: the served page's Run buttons run the source's blocks, its checks are the source's`, async () => {
        const { status, json } = await api<LessonView>('GET', `/api/lessons/${lesson.meta.id}?lang=${lang}`, undefined);
        expect(status).toBe(200);
        expect(translationDifferences(lesson, json, lang)).toEqual([]);
      });
    }
  }
});

describe('lessons run end to end', () => {
  for (const lesson of lessons) {
    it(`${lesson.file}: every step fails before, runs, then passes, and every check stays earned`, { timeout: 20 * 60_000 }, async () => {
      const created = await api<CreatedSession>('POST', '/api/sessions', undefined, { template: lesson.meta.template, swarm: lesson.meta.swarm });
      expect(created.status).toBe(201);
      const session = created.json;
      try {
        const exec = async (node: string, command: string, timeoutSeconds = 120) => {
          const { json } = await api<{ exitCode: number; output: string }>('POST', `/api/sessions/${session.id}/nodes/${node}/exec`, session.token, { command, timeoutSeconds });
          return json;
        };
        const problems = await proveLesson(lesson, {
          // Blocks go through the route a learner's Run button uses; with no terminal open it runs them as an exec.
          run: async (step, block) => {
            const { status, json } = await api<RunAnswer>('POST', `/api/sessions/${session.id}/run`, session.token, { lesson: lesson.meta.id, step, block: block.index });
            if (status !== 200 || json.mode !== 'exec') return { exitCode: -1, output: `POST /run answered ${status}: ${JSON.stringify(json)}` };
            return json;
          },
          exec,
          values: () => computePlaceholderValues(session.nodes, exec),
          checks: async (step) => (await api<CheckRunView>('POST', `/api/sessions/${session.id}/checks`, session.token, { lesson: lesson.meta.id, step })).json,
        }, (line) => console.log(line));
        expect(problems).toEqual([]);
        // No check becomes unpassable because the learner went ahead: after a whole-lesson re-check (the
        // schedule, "Grade now"), every check that counts is earned (or holds now, for a final-state lesson).
        expect((await api('POST', `/api/sessions/${session.id}/checks`, session.token, { lesson: lesson.meta.id })).status).toBe(200);
        const { status, json: report } = await api<GradeReport>('GET', `/api/sessions/${session.id}/progress?lesson=${lesson.meta.id}`, session.token);
        expect(status).toBe(200);
        expect(report.rule).toBe(lesson.meta.grading);
        const short = report.checks.filter((c) => !c.precondition && (!c.passed || c.earned !== c.possible));
        expect(short.map((c) => `${c.id}: ${c.earned}/${c.possible} ${c.failures.map((f) => f.message).join('; ')}`)).toEqual([]);
        expect(report).toMatchObject({ passed: true, earned: report.possible });
      } finally {
        await api('DELETE', `/api/sessions/${session.id}`, session.token);
      }
    });
  }
});
