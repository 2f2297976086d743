import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { loadConfig, loadConfigFromEnvironment, type Config } from '../config.js';
import { DockerEngine } from '../engine/docker-engine.js';
import { ensureNodeImage } from '../images/node-image-builder.js';
import { lessonFolders } from '../lessons/lesson-library.js';
import type { Lesson } from '../lessons/lesson-types.js';
import { isLessonFile } from '../lessons/load-lessons.js';
import { parseLesson, parseLessonSource } from '../lessons/parse-lesson.js';
import { describeStep, proveLesson } from '../lessons/prove-lesson.js';
import { createLogger } from '../logger.js';
import { startServer, type RunningServer } from '../server.js';
import { chooseProgress } from '../startup/progress.js';
import { RestSession } from './rest-session.js';

export interface ProveOptions {
  server?: string;
  lessons?: string;
}

/** A lesson named by its file (`lessons/03-services.md`) or by its id, looked up in the given folder or the served ones. */
export function findLesson(reference: string, folders: string[]): { lesson: Lesson; dir: string } {
  if (reference.endsWith('.md') || existsSync(reference)) {
    const path = resolve(reference);
    if (!existsSync(path)) throw new Error(`no lesson file ${reference}`);
    return { lesson: parseLesson(readFileSync(path, 'utf8'), basename(path)), dir: dirname(path) };
  }
  for (const dir of folders) {
    for (const file of readdirSync(dir).filter(isLessonFile)) {
      const source = readFileSync(join(dir, file), 'utf8');
      if (parseLessonSource(source, file).lesson?.meta.id === reference) return { lesson: parseLesson(source, file), dir: resolve(dir) };
    }
  }
  throw new Error(`no lesson with id ${reference} in ${folders.join(', ')}`);
}

/** A server of its own for one proof: only the lesson's folder, its own label namespace and data, removed afterwards. */
async function startProvingServer(dir: string, base: Config): Promise<{ server: RunningServer; dataDir: string }> {
  const log = createLogger('warn', base.logFormat);
  const engine = new DockerEngine();
  await engine.ping();
  await ensureNodeImage(engine, {
    nodeImage: base.images.node,
    workDir: join(base.dataDir, 'build'),
    debianMirror: base.images.debianMirror,
    progress: chooseProgress(base.logFormat, (record, level) => log[level](record)),
  });
  const dataDir = mkdtempSync(join(tmpdir(), 'workshop-prove-'));
  const builtIn = resolve(dir) === resolve(base.lessonsDir);
  const config = loadConfig({
    env: process.env,
    overrides: {
      port: 0,
      host: '127.0.0.1',
      instance: `prove-${process.pid}`,
      dataDir,
      logLevel: 'warn',
      builtInLessons: builtIn,
      lessonsDirs: builtIn ? [] : [dir],
      watchLessons: false,
      sessions: { pool: {} },
      // Solution blocks may wait in loops for the swarm to converge.
      limits: { execTimeoutSeconds: 300 },
      classroom: { checkIntervalSeconds: 0 },
    },
  });
  return { server: await startServer(config, { engine, log }), dataDir };
}

/** Says when a server does not serve the lesson, or serves a different version of it. */
async function requireServed(baseUrl: string, lesson: Lesson): Promise<void> {
  const res = await fetch(`${baseUrl.replace(/\/$/, '')}/api/lessons/${encodeURIComponent(lesson.meta.id)}`);
  if (res.status === 404) throw new Error(`${baseUrl} does not serve lesson ${lesson.meta.id}; start it with \`workshop serve --lessons <its folder>\`, or leave out --server`);
  if (!res.ok) throw new Error(`${baseUrl} answered ${res.status} for lesson ${lesson.meta.id}`);
  const served = (await res.json()) as { steps?: string[] };
  const steps = lesson.steps.map((s) => s.title);
  if (JSON.stringify(served.steps) !== JSON.stringify(steps)) throw new Error(`${baseUrl} serves another version of lesson ${lesson.meta.id} (its steps differ from ${lesson.file}); let it reload the file first`);
}

/**
 * `workshop prove <lesson>`: a fresh session of the lesson's template, then for each step its checks before,
 * its blocks (solutions included), its checks after, printed as they go. Against `--server`, or a server of
 * its own when none is given. Returns the exit code: 0 proved, 1 not proved, 2 could not try.
 */
export async function proveCommand(reference: string, options: ProveOptions, out: (line: string) => void = console.log, err: (line: string) => void = console.error): Promise<number> {
  let own: { server: RunningServer; dataDir: string } | undefined;
  let session: RestSession | undefined;
  const stopOnSignal = () => void cleanUp().then(() => process.exit(130));
  async function cleanUp() {
    await session?.end().catch(() => undefined);
    session = undefined;
    await own?.server.close();
    if (own) rmSync(own.dataDir, { recursive: true, force: true });
    own = undefined;
  }
  process.once('SIGINT', stopOnSignal);
  try {
    const base = loadConfigFromEnvironment();
    const folders = options.lessons ? [options.lessons] : lessonFolders(base).map((f) => f.dir);
    const { lesson, dir } = findLesson(reference, folders);
    let baseUrl = options.server;
    if (baseUrl) await requireServed(baseUrl, lesson);
    else {
      own = await startProvingServer(dir, base);
      baseUrl = own.server.url;
    }
    out(`proving ${lesson.meta.id} (${lesson.file}) on ${baseUrl}: a fresh ${lesson.meta.template}${lesson.meta.swarm ? ' swarm' : ''}`);
    session = await RestSession.create(baseUrl, lesson);
    const proof = await proveLesson(lesson, session.driver(lesson), (step) => describeStep(step).forEach((line) => out(line)));
    if (proof.problems.length === 0) {
      out(`PROVED ${lesson.meta.id}: ${proof.steps.length} steps`);
      return 0;
    }
    out(`NOT PROVED ${lesson.meta.id}:`);
    for (const problem of proof.problems) out(`  ${problem}`);
    return 1;
  } catch (error) {
    err(`error: ${(error as Error).message}`);
    return 2;
  } finally {
    process.off('SIGINT', stopOnSignal);
    await cleanUp();
  }
}
