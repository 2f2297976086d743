import * as z from 'zod/mini';
import type { CapacityView, DashboardMessage, EngineView, EventView, LearnerMessage, LearnerRow } from './classroom-protocol.js';
import { FindingMessageSchema } from './i18n/finding-message.js';
import type { CheckRunView, ClusterView, GradeReport, LessonListView, LessonSolutionsView, LessonSummary, LessonView } from './lesson-protocol.js';
import type { CreatedSessionView, ErrorView, ExecResultView, NodeRole, SessionStatusView, SessionView, TemplateName, TerminalServerMessage } from './protocol.js';

/**
 * Schemas of what the server sends, so the browser validates every answer, stream message and terminal control
 * frame at the edge. Each is annotated with the view type the server already declares, so the two cannot drift.
 * Objects are not strict: a field the server adds later is dropped, not refused. Written with zod/mini (the same
 * zod, a tree-shakable API) because only the browser bundle uses them.
 */

export const NodeRoleSchema: z.ZodMiniType<NodeRole> = z.enum(['manager', 'worker']);
export const TemplateNameSchema: z.ZodMiniType<TemplateName> = z.enum(['single', 'swarm-1m2w', 'swarm-3m2w']);

// --- sessions (shared/protocol.ts) ---------------------------------------------------------------

const NodeViewSchema = z.object({ name: z.string(), role: z.optional(NodeRoleSchema), address: z.string(), status: z.enum(['running', 'down']) });

export const SessionViewSchema: z.ZodMiniType<SessionView> = z.object({
  id: z.string(),
  template: z.union([TemplateNameSchema, z.literal('custom')]),
  swarm: z.boolean(),
  lesson: z.optional(z.string()),
  nodes: z.array(NodeViewSchema),
  createdAt: z.string(),
  expiresAt: z.string(),
});

export const CreatedSessionViewSchema: z.ZodMiniType<CreatedSessionView> = z.intersection(SessionViewSchema, z.object({ token: z.string() }));

export const SessionStatusViewSchema: z.ZodMiniType<SessionStatusView> = z.object({
  nodes: z.array(
    z.object({
      name: z.string(),
      reachable: z.boolean(),
      swarm: z.object({ state: z.string(), role: z.nullable(z.enum(['leader', 'manager', 'worker'])) }),
      ports: z.array(z.object({ port: z.number(), target: z.optional(z.number()), protocol: z.enum(['tcp', 'udp']), owner: z.string(), source: z.enum(['container', 'service']) })),
    }),
  ),
  checkedAt: z.string(),
});

export const ErrorViewSchema: z.ZodMiniType<ErrorView> = z.object({ error: z.object({ status: z.number(), code: z.string(), message: z.string() }) });

export const TerminalServerMessageSchema: z.ZodMiniType<TerminalServerMessage> = z.discriminatedUnion('type', [
  z.object({ type: z.literal('attached'), epoch: z.string(), last: z.number(), reset: z.boolean(), readonly: z.boolean() }),
  z.object({ type: z.literal('exit'), code: z.nullable(z.number()) }),
  z.object({ type: z.literal('error'), message: z.string() }),
  z.object({ type: z.literal('pong'), id: z.optional(z.number()) }),
]);

const ExecResultFields = { exitCode: z.number(), output: z.string(), truncated: z.boolean(), timedOut: z.boolean() };
export const ExecResultViewSchema: z.ZodMiniType<ExecResultView> = z.object(ExecResultFields);

// --- lessons (shared/lesson-protocol.ts) ---------------------------------------------------------

const LessonSummaryFields = {
  id: z.string(), title: z.string(), summary: z.string(), template: z.string(), swarm: z.boolean(), minutes: z.number(), steps: z.array(z.string()),
  lang: z.string(), languages: z.array(z.string()),
};
export const LessonSummarySchema: z.ZodMiniType<LessonSummary> = z.object(LessonSummaryFields);
export const LessonListSchema: z.ZodMiniType<LessonListView> = z.object({ lang: z.string(), lessons: z.array(LessonSummarySchema) });

export const LessonViewSchema: z.ZodMiniType<LessonView> = z.object({
  ...LessonSummaryFields,
  introHtml: z.string(),
  stepViews: z.array(
    z.object({
      index: z.number(),
      title: z.string(),
      html: z.string(),
      blocks: z.array(z.object({ index: z.number(), node: z.string(), file: z.optional(z.string()) })),
      checks: z.array(z.object({ id: z.string(), title: z.string(), points: z.number(), hint: z.optional(z.string()) })),
      solutionHtml: z.optional(z.string()),
    }),
  ),
  helpHidden: z.optional(z.boolean()),
});

/** The answer of `POST /api/sessions/:id/run`: typed into the terminal, or run with exec (file blocks, no terminal open). */
export const RunBlockResultSchema = z.discriminatedUnion('mode', [
  z.object({ node: z.string(), mode: z.literal('terminal') }),
  z.object({ node: z.string(), mode: z.literal('exec'), ...ExecResultFields }),
]);
export type RunBlockResultView = z.infer<typeof RunBlockResultSchema>;

const ScoreSchema = z.object({ earned: z.number(), possible: z.number() });

/** A finding's message key and values, so the page can say it in the reader's language (absent: `message` only). */

export const CheckRunViewSchema: z.ZodMiniType<CheckRunView> = z.object({
  lesson: z.string(),
  step: z.optional(z.number()),
  passed: z.boolean(),
  score: ScoreSchema,
  checks: z.array(
    z.object({
      id: z.string(),
      step: z.number(),
      title: z.string(),
      passed: z.boolean(),
      points: ScoreSchema,
      hint: z.optional(z.string()),
      assertions: z.array(z.object({ kind: z.string(), passed: z.boolean(), expected: z.string(), actual: z.string(), message: z.string(), findings: z.optional(z.array(FindingMessageSchema)) })),
    }),
  ),
  durationMs: z.number(),
});

export const GradeReportSchema: z.ZodMiniType<GradeReport> = z.object({
  learner: z.string(),
  lesson: z.string(),
  lessonTitle: z.string(),
  earned: z.number(),
  possible: z.number(),
  passed: z.boolean(),
  rule: z.enum(['earned', 'final-state']),
  checks: z.array(
    z.object({
      id: z.string(),
      step: z.number(),
      title: z.string(),
      passed: z.boolean(),
      earned: z.number(),
      possible: z.number(),
      failures: z.array(z.object({ expected: z.optional(z.string()), actual: z.optional(z.string()), message: z.string(), findings: z.optional(z.array(FindingMessageSchema)) })),
      checkedAt: z.optional(z.string()),
      earnedAt: z.optional(z.string()),
      holdsNow: z.boolean(),
      precondition: z.optional(z.boolean()),
      skipped: z.optional(z.boolean()),
    }),
  ),
  skippedSteps: z.optional(z.array(z.number())),
});

const ClusterTaskSchema = z.object({ service: z.string(), slot: z.optional(z.number()), state: z.string(), desired: z.string(), image: z.string(), error: z.optional(z.string()) });

export const ClusterViewSchema: z.ZodMiniType<ClusterView> = z.object({
  nodes: z.array(
    z.object({
      name: z.string(),
      error: z.optional(z.string()),
      swarm: z.string(),
      role: z.optional(NodeRoleSchema),
      leader: z.optional(z.boolean()),
      availability: z.optional(z.string()),
      state: z.optional(z.string()),
      tasks: z.array(ClusterTaskSchema),
    }),
  ),
  services: z.array(z.object({ name: z.string(), mode: z.string(), replicas: z.optional(z.number()), running: z.number(), image: z.string() })),
  takenAt: z.string(),
});

// --- classroom (shared/classroom-protocol.ts) ----------------------------------------------------

export const EventViewSchema: z.ZodMiniType<EventView> = z.object({
  id: z.string(),
  name: z.string(),
  joinCode: z.string(),
  joinUrl: z.string(),
  lessons: z.array(z.string()),
  capacity: z.number(),
  learners: z.number(),
  opensAt: z.optional(z.string()),
  closesAt: z.optional(z.string()),
  warmPool: z.number(),
  createdAt: z.string(),
  endedAt: z.optional(z.string()),
  language: z.optional(z.enum(['en', 'ko'])),
  exam: z.optional(z.object({ opensAt: z.string(), closesAt: z.string(), gradedAt: z.optional(z.string()) })),
  solutionsRevealedAt: z.optional(z.string()),
});

export const LearnerRowSchema: z.ZodMiniType<LearnerRow> = z.object({
  id: z.string(),
  name: z.string(),
  sessionId: z.optional(z.string()),
  sessionStatus: z.enum(['running', 'none']),
  lesson: z.optional(z.string()),
  step: z.number(),
  stepTitle: z.optional(z.string()),
  checksPassed: z.number(),
  checksTotal: z.number(),
  points: ScoreSchema,
  timeOnStepMs: z.number(),
  lastActivity: z.string(),
  stuck: z.boolean(),
  failing: z.array(z.string()),
  skippedSteps: z.array(z.number()),
});

export const DashboardMessageSchema: z.ZodMiniType<DashboardMessage> = z.discriminatedUnion('type', [
  z.object({ type: z.literal('snapshot'), event: EventViewSchema, learners: z.array(LearnerRowSchema) }),
  z.object({ type: z.literal('learner'), learner: LearnerRowSchema }),
  z.object({ type: z.literal('left'), learnerId: z.string() }),
]);

export const LearnerMessageSchema: z.ZodMiniType<LearnerMessage> = z.discriminatedUnion('type', [
  z.object({ type: z.literal('message'), text: z.string(), at: z.string() }),
  z.object({ type: z.literal('session-reset'), sessionId: z.string() }),
  z.object({ type: z.literal('moved'), lesson: z.string(), step: z.number() }),
  z.object({ type: z.literal('session-ended') }),
  z.object({ type: z.literal('solutions-revealed') }),
  z.object({ type: z.literal('session-extended'), expiresAt: z.string() }),
]);

/** `POST /api/join`. */
export const JoinedViewSchema = z.object({ learner: z.object({ id: z.string(), name: z.string() }), token: z.string(), event: EventViewSchema, session: CreatedSessionViewSchema });
export type JoinedView = z.infer<typeof JoinedViewSchema>;

/** `GET /api/learners/me`: who the learner is, their event, and their current session if they have one. */
export const LearnerMeViewSchema = z.object({
  learner: z.object({ id: z.string(), name: z.string(), lesson: z.optional(z.string()), step: z.number() }),
  event: EventViewSchema,
  session: z.nullable(SessionViewSchema),
});
export type LearnerMeView = z.infer<typeof LearnerMeViewSchema>;

/** `PUT /api/learners/me/position`: a lesson with another layout answers with a fresh session. */
export const PositionAnswerSchema = z.object({ session: z.optional(CreatedSessionViewSchema) });

export const InstructorMeSchema = z.object({ configured: z.boolean(), loggedIn: z.boolean() });
export const InstructorLoginSchema = z.object({ token: z.string() });
/** `POST /api/instructor/events/:id/everyone`. */
export const BulkOutcomeSchema = z.object({ done: z.number(), failed: z.array(z.object({ learner: z.string(), name: z.string(), error: z.string() })) });

export const EventListSchema = z.object({ events: z.array(EventViewSchema) });
export const EventDetailSchema = z.object({ event: EventViewSchema, learners: z.array(LearnerRowSchema) });
export const MessageSentSchema = z.object({ sent: z.number() });
export const GradeEventAnswerSchema = z.object({ reports: z.array(GradeReportSchema) });
export const LearnerClusterSchema = z.object({ session: SessionViewSchema, cluster: ClusterViewSchema });

export const LessonSolutionsSchema: z.ZodMiniType<LessonSolutionsView> = z.object({
  lesson: z.string(),
  lang: z.string(),
  steps: z.array(z.object({ index: z.number(), solutionHtml: z.string() })),
});

/** `POST /api/instructor/events/:id/reveal-solutions`. */
export const RevealAnswerSchema = z.object({ event: EventViewSchema });

const EngineStateSchema = z.enum(['up', 'down', 'draining']);
export const EngineViewSchema: z.ZodMiniType<EngineView> = z.object({
  name: z.string(),
  state: EngineStateSchema,
  reason: z.optional(z.string()),
  sessions: z.number(),
  nodes: z.number(),
  freeNodes: z.number(),
  memoryMb: z.number(),
  memoryUsedMb: z.number(),
  loadPercent: z.number(),
  cpus: z.optional(z.number()),
  canDrain: z.boolean(),
});
export const EngineListSchema = z.object({ engines: z.array(EngineViewSchema) });
export const CapacityViewSchema: z.ZodMiniType<CapacityView> = z.object({
  lesson: z.string(),
  learners: z.number(),
  fit: z.number(),
  fits: z.boolean(),
  nodesPerLearner: z.number(),
  engines: z.array(z.object({ name: z.string(), state: EngineStateSchema, learners: z.number(), boundBy: z.optional(z.enum(['memory', 'cpu', 'nodes'])) })),
  serverLimit: z.optional(z.number()),
});
