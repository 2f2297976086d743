import { writeFileSync } from 'node:fs';
import { extname } from 'node:path';
import { FINDING_LANGUAGES, isFindingLanguage, renderFailure, type FindingLanguage } from '../../shared/i18n/render-finding.js';
import { loadConfigFromEnvironment } from '../config.js';
import type { CheckRunView } from '../checks/run-lesson-checks.js';
import { runLessonChecks } from '../checks/run-lesson-checks.js';
import { exportReports, type ExportFormat } from '../grading/exports.js';
import { reportFromRun, type GradeReport } from '../grading/grade-report.js';
import { discoverNodes, dockerHostReader, type GradedNode } from '../grading/docker-host-cluster.js';
import { dockerHostExec, type EngineAddress } from '../grading/docker-host-exec.js';
import { lessonIndex, loadLessons } from '../lessons/load-lessons.js';
import { computePlaceholderValues } from '../lessons/placeholder-values.js';
import { listPlaceholders } from '../lessons/placeholders.js';

interface GradeOptions {
  lesson: string;
  step?: number;
  server?: string;
  session?: string;
  token?: string;
  dockerHost?: string;
  /** `name=tcp://host:2375`: where to read a node's engine when the swarm's own address for it does not answer. */
  node?: string[];
  name: string;
  report?: string;
  lessonsDir?: string;
  /** The language findings are worded in, on the terminal and in the report file. */
  lang?: string;
}

async function fromServer(options: GradeOptions): Promise<{ run: CheckRunView; title: string; progress?: GradeReport }> {
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
  // The whole lesson is graded by the server's record and the lesson's rule (what was earned, or the final state).
  const progress = options.step === undefined
    ? await fetch(`${base}/api/sessions/${encodeURIComponent(options.session)}/progress?lesson=${encodeURIComponent(options.lesson)}`, { headers })
      .then((r) => (r.ok ? (r.json() as Promise<GradeReport>) : undefined)).catch(() => undefined)
    : undefined;
  return { run: body, title: lesson?.title ?? options.lesson, ...(progress?.rule ? { progress } : {}) };
}

async function fromDockerHost(options: GradeOptions): Promise<{ run: CheckRunView; title: string }> {
  const config = loadConfigFromEnvironment();
  const lessons = lessonIndex(await loadLessons(options.lessonsDir ?? config.lessonsDir));
  const lesson = lessons.get(options.lesson);
  if (!lesson) throw new Error(`no lesson ${options.lesson}; known: ${[...lessons.keys()].join(', ')}`);
  const nodes = await discoverNodes(options.dockerHost!, nodeOverrides(options.node ?? []));
  const engines = new Map(nodes.flatMap((n): [string, EngineAddress][] => (n.engine ? [[n.name, n.engine]] : [])));
  const exec = dockerHostExec(engines);
  const unread = new Map<string, string>();
  const read = dockerHostReader(nodes);
  const reader = async (name: string) => {
    const answer = await read(name);
    if ('unreachable' in answer) unread.set(name, answer.unreachable);
    return answer;
  };
  const checks = (options.step === undefined ? lesson.steps : lesson.steps.slice(options.step, options.step + 1)).flatMap((s) => s.checks);
  const computed = await computePlaceholderValues(nodes, exec, listPlaceholders(JSON.stringify(checks.map((c) => c.assertions))));
  // Values come from the engines and are filled into probe commands: keep only what addresses and tokens look like.
  const values = Object.fromEntries(Object.entries(computed).filter(([, value]) => /^[A-Za-z0-9.:[\]-]+$/.test(value)));
  const run = await runLessonChecks(lesson, options.step, exec, nodes.map((n) => n.name), values, reader);
  printNodes(nodes, unread);
  return { run, title: lesson.meta.title };
}

/** Parses the repeated `--node name=address` options. */
export function nodeOverrides(specs: readonly string[]): Map<string, string> {
  const overrides = new Map<string, string>();
  for (const spec of specs) {
    const match = /^([A-Za-z0-9][A-Za-z0-9_.-]*)=(.+)$/.exec(spec);
    if (!match) throw new Error(`--node ${spec}: write it as name=tcp://host:2375`);
    overrides.set(match[1], match[2]);
  }
  return overrides;
}

/** Says plainly which nodes were read and which could not be. */
function printNodes(nodes: readonly GradedNode[], unread: ReadonlyMap<string, string>): void {
  console.log(`Read ${nodes.length - unread.size} of ${nodes.length} nodes:`);
  for (const node of nodes) {
    const where = node.engine ? `${node.engine.dockerHost} (${node.source === 'swarm' ? 'address from the swarm' : node.source})` : 'no address';
    console.log(`  ${unread.has(node.name) ? 'NOT READ' : 'read    '}  ${node.name}  ${where}`);
    if (unread.has(node.name)) console.log(`            ${unread.get(node.name)}`);
  }
  console.log('');
}

function printTable(report: GradeReport, lang: FindingLanguage): void {
  const width = Math.max(...report.checks.map((c) => c.title.length), 10);
  console.log(`${report.lessonTitle} — ${report.learner}`);
  console.log(report.rule === 'earned'
    ? 'graded by: earned (what the learner earned step by step, as the server recorded it)\n'
    : 'graded by: final state (what holds on the cluster now)\n');
  for (const check of report.checks) {
    const mark = check.passed ? 'PASS' : 'FAIL';
    console.log(`  ${mark}  step ${check.step + 1}  ${check.title.padEnd(width)}  ${check.earned}/${check.possible}`);
    for (const failure of check.failures) console.log(`          ${renderFailure(failure, lang)}`);
  }
  console.log(`\n  total ${report.earned}/${report.possible}${report.passed ? '  all checks pass' : ''}`);
}

const FORMAT_BY_EXTENSION: Record<string, ExportFormat> = { '.json': 'json', '.xml': 'junit', '.csv': 'csv' };

/** `workshop grade`: prints a table, writes a report on request, exits 1 when a check fails (2 when it could not grade). */
export async function gradeCommand(options: GradeOptions): Promise<void> {
  try {
    const lang = options.lang ?? 'en';
    if (!isFindingLanguage(lang)) throw new Error(`--lang is ${FINDING_LANGUAGES.join(' or ')}`);
    if (!options.server === !options.dockerHost) throw new Error('give either --server (with --session and --token) or --docker-host');
    const graded: { run: CheckRunView; title: string; progress?: GradeReport } = options.server ? await fromServer(options) : await fromDockerHost(options);
    const report: GradeReport = graded.progress ? { ...graded.progress, learner: options.name } : reportFromRun(options.name, graded.title, graded.run);
    printTable(report, lang);
    if (options.report) {
      const format = FORMAT_BY_EXTENSION[extname(options.report)];
      if (!format) throw new Error('--report must end in .json, .xml (JUnit) or .csv');
      writeFileSync(options.report, exportReports([report], format, lang).body);
      console.log(`  report written to ${options.report}`);
    }
    process.exitCode = report.passed ? 0 : 1;
  } catch (error) {
    console.error(`error: ${(error as Error).message}`);
    process.exitCode = 2;
  }
}
