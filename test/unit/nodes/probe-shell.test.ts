import { spawn } from 'node:child_process';
import { Duplex, PassThrough } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { AnswerReader, frameCommand, ProbeShell, ProbeShellGoneError } from '../../../server/nodes/probe-shell.js';
import { ProbeShells } from '../../../server/nodes/probe-shells.js';

const LIMITS = { timeoutMs: 5000, maxOutputBytes: 64 * 1024 };

/** A real `bash -s` on this machine, wired as the engine's exec stream is: stdin in, stdout out. */
function localShell(): Duplex {
  const child = spawn('bash', ['-s'], { stdio: ['pipe', 'pipe', 'ignore'] });
  const stream = Duplex.from({ readable: child.stdout, writable: child.stdin });
  stream.on('close', () => child.kill('SIGKILL'));
  return stream;
}

/** Kills the long-lived shell from inside a command: the command's parent is `timeout`, whose parent is the shell. */
const KILL_THE_SHELL = 'kill -9 "$(ps -o ppid= -p "$PPID" | tr -d " ")"; sleep 2';

const opened: Duplex[] = [];
afterEach(() => {
  for (const stream of opened.splice(0)) stream.destroy();
});
function shell(): ProbeShell {
  const stream = localShell();
  opened.push(stream);
  return new ProbeShell(stream);
}

describe('AnswerReader', () => {
  const endLine = (nonce: string, code: number) => `\n@@probe-shell-end-${nonce} ${code}\n`;

  it('finds the end line split across chunks at every byte, and keeps the output exactly', () => {
    const whole = Buffer.from(`héllo\nno newline at the end${endLine('n1', 3)}`);
    for (let cut = 1; cut < whole.length; cut++) {
      const reader = new AnswerReader('n1', 1024);
      expect(reader.push(whole.subarray(0, cut))).toBeUndefined();
      expect(reader.push(whole.subarray(cut))).toEqual({ exitCode: 3, output: 'héllo\nno newline at the end', truncated: false });
    }
  });

  it('keeps at most the limit but still finds the end line far past it', () => {
    const reader = new AnswerReader('n2', 10);
    for (let i = 0; i < 1000; i++) expect(reader.push(Buffer.from('x'.repeat(100)))).toBeUndefined();
    expect(reader.push(Buffer.from(endLine('n2', 0)))).toEqual({ exitCode: 0, output: 'x'.repeat(10), truncated: true });
  });

  it('is not fooled by an end line with another nonce (output cannot forge it)', () => {
    const reader = new AnswerReader('right', 1024);
    expect(reader.push(Buffer.from(`a${endLine('wrong', 0)}b`))).toBeUndefined();
    expect(reader.push(Buffer.from(endLine('right', 1)))).toEqual({ exitCode: 1, output: `a${endLine('wrong', 0)}b`, truncated: false });
  });
});

describe('frameCommand', () => {
  it('quotes the command so the shell runs it as one argument', () => {
    expect(frameCommand(`echo 'it''s' "$HOME"`, 'abc', 8)).toBe(
      `timeout -s KILL 8 bash -c 'echo '\\''it'\\'''\\''s'\\'' "$HOME"' </dev/null 2>&1; printf '\\n%s %s\\n' '@@probe-shell-end-abc' "$?"\n`,
    );
  });
});

describe('ProbeShell on a real bash', () => {
  it('answers each command with its output (stderr merged) and exit code, in order', async () => {
    const probes = shell();
    const results = await Promise.all([
      probes.run('echo out; echo err >&2; exit 3', LIMITS),
      probes.run("printf 'no newline'", LIMITS),
      probes.run("printf 'two\\n\\n'", LIMITS),
      probes.run('if then', LIMITS), // a syntax error fails this command only
      probes.run('echo still here', LIMITS),
    ]);
    expect(results.map((r) => [r.exitCode, r.output])).toEqual([
      [3, 'out\nerr\n'],
      [0, 'no newline'],
      [0, 'two\n\n'],
      [2, expect.stringContaining('syntax error')],
      [0, 'still here\n'],
    ]);
  });

  it('gives a command no stdin, so it cannot swallow the next request', async () => {
    const probes = shell();
    const [read, next] = await Promise.all([probes.run('cat; echo read-done', LIMITS), probes.run('echo next', LIMITS)]);
    expect(read.output).toBe('read-done\n');
    expect(next.output).toBe('next\n');
  });

  it('leaves out a command aborted while it waits for its turn, and runs the next', async () => {
    const probes = shell();
    const abort = new AbortController();
    const first = probes.run('sleep 0.3; echo first', LIMITS);
    const dropped = probes.run('echo dropped > /dev/stderr; echo dropped', LIMITS, abort.signal);
    const next = probes.run('echo next', LIMITS);
    abort.abort(new Error('not needed'));
    await expect(dropped).rejects.toThrow('not needed');
    expect((await first).output).toBe('first\n');
    expect((await next).output).toBe('next\n');
  });

  it('bounds the output it keeps, as an exec does', async () => {
    const result = await shell().run('head -c 200000 /dev/zero | tr "\\0" y', { ...LIMITS, maxOutputBytes: 1000 });
    expect(result).toMatchObject({ exitCode: 0, truncated: true, timedOut: false });
    expect(result.output).toBe('y'.repeat(1000));
  });

  it('kills a command that outlives its time inside the shell (timeout -s KILL), as an exec does', async () => {
    const result = await shell().run('sleep 5', { ...LIMITS, timeoutMs: 1000 });
    expect(result.exitCode).toBe(137);
  });

  it('rejects with ProbeShellGoneError when the shell ends before answering, and refuses later commands', async () => {
    const probes = shell();
    await expect(probes.run(KILL_THE_SHELL, LIMITS)).rejects.toBeInstanceOf(ProbeShellGoneError);
    expect(probes.alive).toBe(false);
    await expect(probes.run('echo late', LIMITS)).rejects.toBeInstanceOf(ProbeShellGoneError);
  });

  it('answers a request the shell never finishes with exit 124 and closes the shell', async () => {
    // A stream that takes the command and says nothing: the engine-side guard must fire.
    const silent = new Duplex({ read() {}, write(_chunk, _encoding, done) { done(); } });
    const probes = new ProbeShell(silent);
    const result = await probes.run('echo never', { timeoutMs: 10, maxOutputBytes: 100 });
    expect(result).toEqual({ exitCode: 124, output: '', truncated: false, timedOut: true });
    expect(probes.alive).toBe(false);
  }, 10_000);
});

describe('ProbeShells', () => {
  it('keeps one shell per node, and opens a new one when it has died', async () => {
    let opens = 0;
    const shells = new ProbeShells(async () => {
      opens += 1;
      const stream = localShell();
      opened.push(stream);
      return stream;
    });
    expect((await shells.run('n1', 'echo a', LIMITS)).output).toBe('a\n');
    expect((await shells.run('n1', 'echo b', LIMITS)).output).toBe('b\n');
    expect(opens).toBe(1);
    await expect(shells.run('n1', KILL_THE_SHELL, LIMITS)).rejects.toBeInstanceOf(ProbeShellGoneError);
    expect((await shells.run('n1', 'echo c', LIMITS)).output).toBe('c\n');
    expect(opens).toBe(2);
    await shells.run('n2', 'true', LIMITS);
    expect(opens).toBe(3);
    shells.closeAll();
  });

  it('gives up on a shell that does not open in time, so the caller can use a plain exec', async () => {
    const shells = new ProbeShells(() => new Promise<Duplex>(() => undefined), 60_000, 20);
    await expect(shells.run('n1', 'true', LIMITS)).rejects.toBeInstanceOf(ProbeShellGoneError);
  });

  it('closes a shell left unused', async () => {
    const streams: PassThrough[] = [];
    const shells = new ProbeShells(async () => {
      const stream = localShell();
      opened.push(stream);
      streams.push(stream as unknown as PassThrough);
      return stream;
    }, 20);
    await shells.run('n1', 'true', LIMITS);
    await expect.poll(() => streams[0].destroyed, { timeout: 2000 }).toBe(true);
  });
});
