/**
 * Deadlines on Docker Engine calls, so a hung engine (a full disk, a stuck daemon, a dead socket that still
 * accepts) fails each call with a clear error instead of stalling every learner behind it.
 *
 * A deadline covers a call until it answers: for streams (exec attach, image builds, terminals) that is until
 * the stream is established; what flows on it afterwards has bounds of its own (an exec's timeout) or none
 * (a terminal lives as long as its learner).
 */

/** The kinds of engine calls, each with its own deadline. */
export type EngineCallKind = 'read' | 'write' | 'attach' | 'image';

export type EngineDeadlines = Readonly<Record<EngineCallKind, number>>;

/** The engine is not there or cannot be used: an HTTP answer is 503, worth retrying later. */
export class EngineUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EngineUnavailableError';
  }
}

/** An engine call that did not answer within its deadline. */
export class EngineTimeoutError extends EngineUnavailableError {
  constructor(
    readonly operation: string,
    readonly deadlineMs: number,
  ) {
    super(`the Docker engine did not answer ${operation} within ${deadlineMs / 1000} s`);
    this.name = 'EngineTimeoutError';
  }
}

/**
 * The deadlines from one setting, the one for short reads (inspect, list, version): attaching to an exec gets
 * twice that, creating, starting and removing containers and networks four times (a busy engine starting
 * nodes is slow), and image calls eight times.
 */
export function engineDeadlines(readSeconds: number): EngineDeadlines {
  const read = readSeconds * 1000;
  return Object.freeze({ read, attach: 2 * read, write: 4 * read, image: 8 * read });
}

export const DEFAULT_ENGINE_DEADLINES = engineDeadlines(15);

/**
 * Runs `call` with an abort signal and rejects with EngineTimeoutError once `ms` pass without an answer; the
 * signal then aborts the engine request, so no socket is left waiting. An answer in time clears the timer,
 * so a stream the call returned is never aborted later.
 */
export function withDeadline<T>(operation: string, ms: number, call: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => {
      reject(new EngineTimeoutError(operation, ms));
      controller.abort();
    }, ms);
    Promise.resolve().then(() => call(controller.signal)).then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}
