import { execFile } from 'node:child_process';

/**
 * An exec function over local node containers (`<prefix><node>`), for proving lessons and recording fixtures
 * without a running workshop server. Used only by the scripts in this folder, never by the server.
 */
export function localExec(prefix: string) {
  return (node: string, command: string, timeoutSeconds = 120): Promise<{ exitCode: number; output: string }> =>
    new Promise((resolve) => {
      execFile('docker', ['exec', `${prefix}${node}`, 'bash', '-c', command], { maxBuffer: 64 * 1024 * 1024, timeout: timeoutSeconds * 1000 }, (error, stdout, stderr) => {
        const exitCode = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ exitCode, output: stdout + stderr });
      });
    });
}
