import type { GradeReport } from '../../shared/lesson-protocol.js';
import type { CheckRunView } from '../checks/run-lesson-checks.js';
import type { Lesson } from '../lessons/lesson-types.js';
import { computePlaceholderValues, type SessionNode } from '../lessons/placeholder-values.js';
import type { SessionDriver } from '../lessons/prove-lesson.js';

interface CreatedSession {
  id: string;
  token: string;
  nodes: SessionNode[];
}

export class ServerAnswerError extends Error {}

/**
 * A session on a workshop server, reached through the same REST routes a learner's page uses: created for a
 * lesson's template, blocks run by reference (`/run`), solution blocks (which `/run` refuses) through exec,
 * checks through `/checks`. `workshop prove` and the lesson runner in test/lessons/ drive lessons with it.
 */
export class RestSession {
  private constructor(
    private readonly baseUrl: string,
    readonly id: string,
    private readonly token: string,
    readonly nodes: SessionNode[],
  ) {}

  static async create(baseUrl: string, lesson: Lesson): Promise<RestSession> {
    const base = baseUrl.replace(/\/$/, '');
    const { status, json } = await call<CreatedSession & { error?: { message: string } }>(base, 'POST', '/api/sessions', undefined, { template: lesson.meta.template, swarm: lesson.meta.swarm, lesson: lesson.meta.id });
    if (status !== 201) throw new ServerAnswerError(`the server could not start a session (${status}): ${json?.error?.message ?? 'no message'}`);
    return new RestSession(base, json.id, json.token, json.nodes);
  }

  /** The driver `proveLesson` needs, for this session and lesson. */
  driver(lesson: Lesson): SessionDriver {
    const exec = async (node: string, command: string, timeoutSeconds = 120) => {
      const { status, json } = await this.call<{ exitCode: number; output: string }>('POST', `/nodes/${node}/exec`, { command, timeoutSeconds });
      return status === 200 ? json : { exitCode: -1, output: `exec answered ${status}: ${JSON.stringify(json)}` };
    };
    return {
      // With no terminal open on the node, `/run` runs the block as an exec and answers its result.
      run: async (step, block) => {
        const { status, json } = await this.call<{ mode: string; exitCode: number; output: string }>('POST', '/run', { lesson: lesson.meta.id, step, block: block.index });
        if (status !== 200 || json.mode !== 'exec') return { exitCode: -1, output: `POST /run answered ${status}: ${JSON.stringify(json)}` };
        return json;
      },
      exec,
      values: () => computePlaceholderValues(this.nodes, exec),
      checks: async (step) => {
        const { status, json } = await this.call<CheckRunView>('POST', '/checks', { lesson: lesson.meta.id, step });
        if (status !== 200) throw new ServerAnswerError(`checks answered ${status}: ${JSON.stringify(json)}`);
        return json;
      },
    };
  }

  /**
   * A whole-lesson re-check (what the schedule and "Grade now" do), then the lesson's report by its grading
   * rule: after a lesson's solution has run, every check that counts must still be earned.
   */
  async recheckAndReport(lesson: Lesson): Promise<GradeReport> {
    const recheck = await this.call<CheckRunView>('POST', '/checks', { lesson: lesson.meta.id });
    if (recheck.status !== 200) throw new ServerAnswerError(`checks answered ${recheck.status}: ${JSON.stringify(recheck.json)}`);
    const { status, json } = await this.call<GradeReport>('GET', `/progress?lesson=${encodeURIComponent(lesson.meta.id)}`);
    if (status !== 200) throw new ServerAnswerError(`progress answered ${status}: ${JSON.stringify(json)}`);
    return json;
  }

  async end(): Promise<void> {
    await this.call('DELETE', '');
  }

  private call<T>(method: string, path: string, body?: unknown) {
    return call<T>(this.baseUrl, method, `/api/sessions/${this.id}${path}`, this.token, body);
  }
}

async function call<T>(base: string, method: string, path: string, token: string | undefined, body?: unknown): Promise<{ status: number; json: T }> {
  const response = await fetch(`${base}${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  let json: T;
  try {
    json = (text ? JSON.parse(text) : undefined) as T;
  } catch {
    throw new ServerAnswerError(`${method} ${path} answered ${response.status} with something other than JSON: ${text.slice(0, 200)}`);
  }
  return { status: response.status, json };
}
