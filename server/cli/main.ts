import { capacityCommand } from './capacity.js';
import { enginesCommand } from './engines.js';
import { gradeCommand } from './grade.js';
import { lintCommand } from './lint.js';
import { createProgram } from './program.js';
import { proveCommand } from './prove.js';
import { setPasswordCommand } from './set-password.js';

const program = createProgram({
  serve: async (overrides) => (await import('../main.js')).serve(overrides),
  setPassword: setPasswordCommand,
  grade: gradeCommand,
  lint: (dir) => lintCommand(dir),
  prove: (lesson, options) => proveCommand(lesson, options),
  capacity: (options) => capacityCommand(options),
  engines: (action) => enginesCommand(action),
});

await program.parseAsync(process.argv);
