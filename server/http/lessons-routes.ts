import { Router, type Request, type Response } from 'express';
import { RunBlockSchema, type LessonListView, type LessonView } from '../../shared/lesson-protocol.js';
import type { CheckRunner } from '../checks/check-runner.js';
import { HttpError, notFound } from '../errors.js';
import { resolveBlockCommand } from '../lessons/block-command.js';
import { chooseLanguage } from '../lessons/lesson-language.js';
import { lessonById, lessonLanguages } from '../lessons/load-lessons.js';
import type { Lesson } from '../lessons/lesson-types.js';
import { lessonSummary, lessonView } from '../lessons/lesson-view.js';
import { computePlaceholderValues } from '../lessons/placeholder-values.js';
import { listPlaceholders } from '../lessons/placeholders.js';
import type { SessionManager } from '../sessions/session-manager.js';
import { sessionToken } from './credentials.js';
import { parseBody } from './validate.js';

/** Types a command into a node's open terminal; false when no terminal is open there. */
export interface TerminalTyping {
  type(sessionId: string, node: string, text: string): boolean;
}

/**
 * The lessons, for anybody (they are the course material, not a learner's data), in the language asked for
 * by `?lang=`, else by Accept-Language; a lesson without that translation is served in English, and every
 * answer says which language it is in (`lang`).
 */
export function lessonsRouter(lessons: ReadonlyMap<string, Lesson>, helpHidden: (lessonId: string, req: Request) => boolean = () => false): Router {
  const router = Router();
  const allLanguages = [...new Set([...lessons.values()].flatMap(lessonLanguages))];
  const choose = (req: Request, res: Response, available: string[]) => {
    if (req.query.lang === undefined) res.vary('Accept-Language');
    return chooseLanguage(req.query.lang, available, (offers) => req.acceptsLanguages(offers));
  };
  router.get('/', (req, res) => {
    const lang = choose(req, res, allLanguages);
    const answer: LessonListView = { lang, lessons: [...lessons.values()].map((lesson) => lessonSummary(lesson, lang)) };
    res.json(answer);
  });
  router.get('/:id', (req, res) => {
    const lesson = lessonById(lessons, req.params.id);
    const view = lessonView(lesson, choose(req, res, lessonLanguages(lesson)));
    res.json(helpHidden(lesson.meta.id, req) ? withoutHelp(view) : view);
  });
  return router;
}

/** A lesson as an exam serves it: no hints, no solutions (the page says why). */
function withoutHelp(view: LessonView): LessonView {
  return {
    ...view,
    helpHidden: true,
    stepViews: view.stepViews.map(({ solutionHtml: _solution, ...step }) => ({ ...step, checks: step.checks.map(({ hint: _hint, ...check }) => check) })),
  };
}

/** A session's lesson actions: run a block (by reference, never by text) and read the live cluster. */
export function sessionLessonRouter(sessions: SessionManager, lessons: ReadonlyMap<string, Lesson>, checks: CheckRunner, terminals: TerminalTyping, runHidden: (lessonId: string, owner: string) => boolean = () => false): Router {
  const router = Router();

  router.post('/:id/run', async (req, res) => {
    const session = sessions.authorize(String(req.params.id), sessionToken(req));
    const { lesson: lessonId, step, block } = parseBody(RunBlockSchema, req.body);
    const lesson = lessonById(lessons, lessonId);
    const target = lesson.steps[step]?.blocks[block];
    if (!target || target.solution) throw notFound(`lesson ${lessonId} has no runnable block ${block} in step ${step}`);
    // An exam's learner types the commands themselves: Run would hand them the answer.
    if (runHidden(lesson.meta.id, session.resultsOwner())) throw new HttpError(403, 'exam', 'Run is off during an exam; type the commands yourself');
    if (!session.nodes.has(target.node)) throw new HttpError(409, 'no_such_node', `this block runs on ${target.node}, which this session does not have`);
    const values = await computePlaceholderValues([...session.nodes.values()], sessions.nodeExec(session, 'lookup'), listPlaceholders(target.content));
    const resolved = resolveBlockCommand(lesson, step, block, values);
    // Running a step's block means the learner is on that step (and takes its baseline before the block acts).
    await checks.reach(session.resultsOwner(), lesson.meta.id, step, session);
    // File blocks are written quietly; commands are typed into the learner's terminal so they see them run.
    if (!target.file && terminals.type(session.id, resolved.node, `${resolved.command.replace(/\n+$/, '')}\n`)) {
      res.json({ node: resolved.node, mode: 'terminal' });
      return;
    }
    const result = await sessions.exec(session, resolved.node, resolved.command);
    res.json({ node: resolved.node, mode: 'exec', ...result });
  });

  router.get('/:id/cluster', async (req, res) => {
    const session = sessions.authorize(String(req.params.id), sessionToken(req));
    res.json(await checks.cluster(session));
  });

  return router;
}
