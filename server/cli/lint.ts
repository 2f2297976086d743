import { relative, join, resolve } from 'node:path';
import { loadConfigFromEnvironment } from '../config.js';
import { lessonFolders } from '../lessons/lesson-library.js';
import { lintLessonDirectory } from '../lessons/lint.js';

/**
 * `workshop lint [dir]`: every problem of every lesson as `file:line: message` (the form editors jump to),
 * then a summary. Without a folder it lints the folders the server would serve. Returns the exit code:
 * 0 clean, 1 with any problem, 2 when a folder cannot be read.
 */
export async function lintCommand(dir: string | undefined, out: (line: string) => void = console.log, err: (line: string) => void = console.error): Promise<number> {
  const dirs = dir ? [dir] : lessonFolders(loadConfigFromEnvironment()).map((f) => f.dir);
  let problems = 0;
  for (const folder of dirs) {
    let found;
    try {
      found = await lintLessonDirectory(folder);
    } catch (error) {
      err(`error: cannot read lessons in ${folder}: ${(error as Error).message}`);
      return 2;
    }
    const shown = relative(process.cwd(), resolve(folder)) || '.';
    for (const problem of found) out(`${join(shown, problem.file)}:${problem.line}: ${problem.message}`);
    problems += found.length;
  }
  out(problems === 0 ? `no problems in ${dirs.map((d) => relative(process.cwd(), resolve(d)) || '.').join(', ')}` : `${problems} problem${problems === 1 ? '' : 's'}`);
  return problems === 0 ? 0 : 1;
}
