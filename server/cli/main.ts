import { Command, InvalidArgumentError, Option } from 'commander';
import { gradeCommand } from './grade.js';
import { setPasswordCommand } from './set-password.js';

const program = new Command('workshop').description('Docker Swarm workshop server').showHelpAfterError();

program
  .command('serve')
  .description('start the server (prepares the node image first)')
  .action(async () => {
    await import('../main.js');
  });

program
  .command('set-password')
  .description('set or change the instructor password (read from standard input, or asked for)')
  .action(setPasswordCommand);

const stepNumber = (value: string) => {
  const step = Number(value);
  if (!Number.isInteger(step) || step < 1) throw new InvalidArgumentError('a step is a number from 1');
  return step - 1;
};

program
  .command('grade')
  .description("run a lesson's checks against a session on a server, or against a swarm manager's Docker host address")
  .requiredOption('--lesson <id>', 'lesson id, e.g. final-exercise')
  .option('--step <n>', 'only this step (1-based)', stepNumber)
  .option('--server <url>', 'workshop server URL (with --session and --token)')
  .option('--session <id>', 'session id on that server')
  .addOption(new Option('--token <token>', 'session token').env('WORKSHOP_TOKEN'))
  .option('--docker-host <address>', 'a swarm manager: tcp://host:2375, unix:///var/run/docker.sock, or a socket path')
  .option('--node <name=address>', "a node's engine, when the address the swarm reports for it does not answer (repeatable)", (spec: string, all: string[]) => [...all, spec], [] as string[])
  .option('--name <learner>', 'name to put in the report', 'learner')
  .option('--report <file>', 'write a report file (.json, .xml for JUnit, .csv)')
  .option('--lessons-dir <dir>', 'where the lessons are (docker-host mode)')
  .option('--lang <language>', 'language of the findings: en or ko', 'en')
  .action(gradeCommand);

await program.parseAsync(process.argv);
