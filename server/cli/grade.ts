import { writeFileSync } from 'node:fs';
import { extname } from 'node:path';
import { loadConfigFromEnvironment } from '../config.js';
import type { CheckRunView } from '../checks/run-lesson-checks.js';
import { runLessonChecks } from '../checks/run-lesson-checks.js';
import { exportReports, type ExportFormat } from '../grading/exports.js';
import { reportFromRun, type GradeReport } from '../grading/grade-report.js';
import { dockerHostExec, dockerHostNodeName } from '../grading/docker-host-exec.js';
import { lessonIndex, loadLessons } from '../lessons/load-lessons.js';

interface GradeOptions {
  lesson: string;
  step?: number;
  server?: string;
  session?: string;
  token?: string;
  dockerHost?: string;
  name: string;
  report?: string;
  lessonsDir?: string;
}

async function fromServer(options: GradeOptions): Promise<{ run: CheckRunView; title: string }> {
  const { token } = options;
  if (!options.session || !token) throw new Error('--server needs --session and --token (or WORKSHOP_TOKEN)');
  const base = options.server!.replace(/\/$/, '');
  const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
  const res = await fetch(`${base}/api/sessions/${encodeURIComponent(options.session)}/checks`, {
    method: 'POST',
    headers,
    body: JSON.stringify({ lesson: options.lesson, ...(options.step !== undefined ? { step: options.step } : {}) }),
  });
  const body = (await res.json()) as CheckRunView & { error?: { message: string } };
  if (!res.ok) throw new Error(`the server answered ${res.status}: ${body.error?.message ?? 'no message'}`);
  const lesson = await fetch(`${base}/api/lessons/${encodeURIComponent(options.lesson)}`).then((r) => (r.ok ? (r.json() as Promise<{ title?: string }>) : undefined)).catch(() => undefined);
  return { run: body, title: lesson?.title ?? options.lesson };
}

async function fromDockerHost(options: GradeOptions): Promise<{ run: CheckRunView; title: string }> {
  const config = loadConfigFromEnvironment();
  const lessons = lessonIndex(await loadLessons(options.lessonsDir ?? config.lessonsDir));
  const lesson = lessons.get(options.lesson);
  if (!lesson) throw new Error(`no lesson ${options.lesson}; known: ${[...lessons.keys()].join(', ')}`);
  const exec = dockerHostExec(options.dockerHost!);
  const node = await dockerHostNodeName(options.dockerHost!);
  return { run: await runLessonChecks(lesson, options.step, exec, [node], {}), title: lesson.meta.title };
}

function printTable(report: GradeReport): void {
  const width = Math.max(...report.checks.map((c) => c.title.length), 10);
  console.log(`${report.lessonTitle} — ${report.learner}\n`);
  for (const check of report.checks) {
    const mark = check.passed ? 'PASS' : 'FAIL';
    console.log(`  ${mark}  step ${check.step + 1}  ${check.title.padEnd(width)}  ${check.earned}/${check.possible}`);
    for (const failure of check.failures) console.log(`          ${failure.message}`);
  }
  console.log(`\n  total ${report.earned}/${report.possible}${report.passed ? '  all checks pass' : ''}`);
}

const FORMAT_BY_EXTENSION: Record<string, ExportFormat> = { '.json': 'json', '.xml': 'junit', '.csv': 'csv' };

/** `workshop grade`: prints a table, writes a report on request, exits 1 when a check fails (2 when it could not grade). */
export async function gradeCommand(options: GradeOptions): Promise<void> {
  try {
    if (!options.server === !options.dockerHost) throw new Error('give either --server (with --session and --token) or --docker-host');
    const { run, title } = options.server ? await fromServer(options) : await fromDockerHost(options);
    const report = reportFromRun(options.name, title, run);
    printTable(report);
    if (options.report) {
      const format = FORMAT_BY_EXTENSION[extname(options.report)];
      if (!format) throw new Error('--report must end in .json, .xml (JUnit) or .csv');
      writeFileSync(options.report, exportReports([report], format).body);
      console.log(`  report written to ${options.report}`);
    }
    process.exitCode = report.passed ? 0 : 1;
  } catch (error) {
    console.error(`error: ${(error as Error).message}`);
    process.exitCode = 2;
  }
}
