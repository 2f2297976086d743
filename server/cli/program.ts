import { Command, InvalidArgumentError, Option } from 'commander';
import type { ConfigInput } from '../config.js';
import type { CapacityOptions } from './capacity.js';
import type { EngineAction } from './engines.js';
import type { gradeCommand } from './grade.js';
import type { ProveOptions } from './prove.js';

export interface ServeOptions {
  lessons: string[];
  builtin: boolean;
  watch: boolean;
}

/** What each command does, given its parsed arguments; main.ts passes the real ones, tests record the calls. */
export interface Actions {
  serve(overrides: ConfigInput): Promise<void>;
  setPassword(): Promise<void>;
  grade: typeof gradeCommand;
  /** Returns the exit code. */
  lint(dir: string | undefined): Promise<number>;
  /** Returns the exit code. */
  prove(lesson: string, options: ProveOptions): Promise<number>;
  /** Returns the exit code. */
  capacity(options: CapacityOptions): Promise<number>;
  /** Returns the exit code. */
  engines(action: EngineAction): Promise<number>;
}

/** `workshop serve`'s options as configuration: they win over the config file and the environment. */
export function serveOverrides(options: ServeOptions): ConfigInput {
  return {
    ...(options.lessons.length ? { lessonsDirs: options.lessons } : {}),
    ...(options.builtin ? {} : { builtInLessons: false }),
    ...(options.watch ? {} : { watchLessons: false }),
  };
}

const repeatable = (value: string, all: string[]) => [...all, value];

const stepNumber = (value: string) => {
  const step = Number(value);
  if (!Number.isInteger(step) || step < 1) throw new InvalidArgumentError('a step is a number from 1');
  return step - 1;
};

const httpUrl = (value: string) => {
  if (!/^https?:\/\/[^\s/]+/.test(value)) throw new InvalidArgumentError('a server is an http:// or https:// URL');
  return value;
};

/** The `workshop` command line: what it accepts, and which action each command calls. */
export function createProgram(actions: Actions): Command {
  const program = new Command('workshop').description('Docker Swarm workshop server').showHelpAfterError();

  program
    .command('serve')
    .description('start the server (prepares the node image first)')
    .option('--lessons <dir>', 'serve your own lessons from this folder too (repeatable; live reload while you edit)', repeatable, [] as string[])
    .option('--no-builtin', 'serve only the lessons of --lessons, not the built-in ones')
    .option('--no-watch', 'do not reload lessons when their files change')
    .action((options: ServeOptions) => actions.serve(serveOverrides(options)));

  program
    .command('lint')
    .description('check lessons for problems; prints file:line: message and exits 1 on any')
    .argument('[dir]', 'a folder of lessons (default: the folders the server serves)')
    .action(async (dir: string | undefined) => {
      process.exitCode = await actions.lint(dir);
    });

  program
    .command('prove')
    .description("run a lesson's solution on fresh nodes: per step, its checks fail before and pass after")
    .argument('<lesson>', 'a lesson id, or the path of a lesson file')
    .option('--server <url>', 'a running workshop server that serves the lesson (default: start one of its own)', httpUrl)
    .option('--lessons <dir>', 'where to find the lesson by id (default: the folders the server serves)')
    .action(async (lesson: string, options: ProveOptions) => {
      process.exitCode = await actions.prove(lesson, options);
    });

  program
    .command('set-password')
    .description('set or change the instructor password (read from standard input, or asked for)')
    .action(() => actions.setPassword());

  program
    .command('grade')
    .description("run a lesson's checks against a session on a server, or against a swarm manager's Docker host address")
    .requiredOption('--lesson <id>', 'lesson id, e.g. final-exercise')
    .option('--step <n>', 'only this step (1-based)', stepNumber)
    .option('--server <url>', 'workshop server URL (with --session and --token)')
    .option('--session <id>', 'session id on that server')
    .addOption(new Option('--token <token>', 'session token').env('WORKSHOP_TOKEN'))
    .option('--docker-host <address>', 'a swarm manager: tcp://host:2375, unix:///var/run/docker.sock, or a socket path')
    .option('--node <name=address>', "a node's engine, when the address the swarm reports for it does not answer (repeatable)", repeatable, [] as string[])
    .option('--name <learner>', 'name to put in the report', 'learner')
    .option('--report <file>', 'write a report file (.json, .xml for JUnit, .csv)')
    .option('--lessons-dir <dir>', 'where the lessons are (docker-host mode)')
    .option('--lang <language>', 'language of the findings: en or ko', 'en')
    .action((options: Parameters<Actions['grade']>[0]) => actions.grade(options));

  program
    .command('capacity')
    .description('how many learners of a lesson fit on the configured Docker engines (docs/scaling.md)')
    .requiredOption('--lesson <id>', 'lesson id, e.g. services')
    .option('--learners <n>', 'the class size: exit 1 with a warning when it does not fit', (value) => {
      const n = Number(value);
      if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('a number of learners from 1');
      return n;
    })
    .option('--measure', "start one learner's cluster on the first engine and measure it (about 20 s), instead of the benchmark figures")
    .action(async (options: CapacityOptions) => {
      process.exitCode = await actions.capacity(options);
    });

  program
    .command('engines')
    .description("a running server's Docker engines: list them, or drain one (no new sessions) and bring it back")
    .argument('[action]', 'list, drain or undrain', 'list')
    .argument('[engine]', 'the engine to drain or undrain')
    .requiredOption('--server <url>', 'the workshop server', httpUrl)
    .addOption(new Option('--token <token>', "the instructor's token (POST /api/instructor/login)").env('WORKSHOP_INSTRUCTOR_TOKEN').makeOptionMandatory())
    .action(async (action: string, engine: string | undefined, options: { server: string; token: string }) => {
      if (!['list', 'drain', 'undrain'].includes(action)) throw new InvalidArgumentError('the action is list, drain or undrain');
      if (action !== 'list' && !engine) throw new InvalidArgumentError(`${action} needs the engine's name`);
      process.exitCode = await actions.engines({ action: action as EngineAction['action'], ...(engine ? { engine } : {}), ...options });
    });

  return program;
}
