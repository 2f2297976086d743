import { z } from 'zod';

/** Request shapes and views of the classroom: events, learners, the dashboard and grading. */

/** The languages a class can be taught in: the client's message catalogues (test/unit/client checks they match). */
export const EventLanguageSchema = z.enum(['en', 'ko']);
export type EventLanguage = z.infer<typeof EventLanguageSchema>;

const LessonId = z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'a lesson id is kebab-case');

export const CreateEventSchema = z
  .strictObject({
    name: z.string().trim().min(1).max(120),
    lessons: z.array(LessonId).min(1).max(20),
    capacity: z.number().int().min(1).max(500),
    opensAt: z.iso.datetime({ offset: true }).optional(),
    closesAt: z.iso.datetime({ offset: true }).optional(),
    /** Sessions to start before class for the event's first lesson. */
    warmPool: z.number().int().min(0).max(50).default(0),
    /** The class's default language: learners who have not chosen one see the page and lessons in it. */
    language: EventLanguageSchema.optional(),
    /** An exam: joins only between its times, no hints or solutions meanwhile, every learner graded at the close. */
    exam: z
      .strictObject({ opensAt: z.iso.datetime({ offset: true }), closesAt: z.iso.datetime({ offset: true }) })
      .refine((e) => Date.parse(e.opensAt) < Date.parse(e.closesAt), { message: 'an exam closes after it opens' })
      .optional(),
  })
  .refine((e) => !e.opensAt || !e.closesAt || Date.parse(e.opensAt) < Date.parse(e.closesAt), { message: 'closesAt must be after opensAt' });

export const JoinSchema = z.strictObject({
  code: z.string().trim().min(4).max(20),
  name: z.string().trim().min(1, 'a display name is needed').max(40),
});

export const LoginSchema = z.strictObject({ password: z.string().min(1).max(200) });
export const MessageSchema = z.strictObject({ text: z.string().trim().min(1).max(500) });
export const PositionSchema = z.strictObject({ lesson: LessonId, step: z.number().int().min(0).max(100) });
export const GradeSchema = z.strictObject({ lesson: LessonId });
/** "Skip to this step": the step (0-based) to catch up to. */
export const SkipSchema = z.strictObject({ step: z.number().int().min(1).max(100) });
/** A self-paced learner's "skip to this step": which lesson (a session has no event to say it), and the step. */
export const SessionSkipSchema = z.strictObject({ lesson: LessonId, step: z.number().int().min(1).max(100) });
/** An action on every learner of an event. */
export const BulkActionSchema = z.discriminatedUnion('action', [
  z.strictObject({ action: z.literal('restart') }),
  z.strictObject({ action: z.literal('skip'), step: z.number().int().min(1).max(100) }),
]);

export type CreateEventRequest = z.infer<typeof CreateEventSchema>;

export interface EventView {
  id: string;
  name: string;
  joinCode: string;
  joinUrl: string;
  lessons: string[];
  capacity: number;
  learners: number;
  opensAt?: string;
  closesAt?: string;
  warmPool: number;
  createdAt: string;
  endedAt?: string;
  /** The class's default language; absent: each learner's browser decides. */
  language?: EventLanguage;
  /** Set for an exam: its window, and when its learners were graded (at the close). */
  exam?: { opensAt: string; closesAt: string; gradedAt?: string };
  /** When the instructor revealed the lessons' hidden solutions to the class. */
  solutionsRevealedAt?: string;
}

export interface LearnerRow {
  id: string;
  name: string;
  sessionId?: string;
  sessionStatus: 'running' | 'none';
  lesson?: string;
  step: number;
  stepTitle?: string;
  /** Checks that count under the lesson's grading rule (`grading`): earned, or holding now for a final-state lesson. */
  checksPassed: number;
  checksTotal: number;
  points: { earned: number; possible: number };
  /** The lesson's grading rule, which the counts above follow. */
  grading?: 'earned' | 'final-state';
  timeOnStepMs: number;
  lastActivity: string;
  stuck: boolean;
  failing: string[];
  /** Steps of the lesson the server caught up for the learner ("skip to this step"): shown, never earned. */
  skippedSteps: number[];
}

/** The answer of an action on every learner of an event. */
export interface BulkOutcomeView {
  done: number;
  failed: Array<{ learner: string; name: string; error: string }>;
}

/** What the dashboard stream sends: a full table first, then changed rows and notices. */
export type DashboardMessage =
  | { type: 'snapshot'; event: EventView; learners: LearnerRow[] }
  | { type: 'learner'; learner: LearnerRow }
  | { type: 'left'; learnerId: string };

/** What a learner's workspace stream sends. */
export type LearnerMessage =
  | { type: 'message'; text: string; at: string }
  | { type: 'session-reset'; sessionId: string }
  /** The server moved the learner (caught up to a step): the page opens that step. */
  | { type: 'moved'; lesson: string; step: number }
  | { type: 'session-ended' }
  /** The instructor revealed the hidden solutions: the page fetches them. */
  | { type: 'solutions-revealed' }
  | { type: 'session-extended'; expiresAt: string };

/** One Docker engine of several (server/fleet), as the instructor's dashboard and `GET /api/instructor/engines` show it. */
export interface EngineView {
  name: string;
  /** `up` takes new sessions; `draining` keeps its sessions and takes none; `down` does not answer. */
  state: 'up' | 'down' | 'draining';
  /** Why it is down, when it is. */
  reason?: string;
  sessions: number;
  nodes: number;
  /** How many more nodes fit there now. */
  freeNodes: number;
  /** Memory (MiB) the engine gives our nodes, and what their limits already take of it. */
  memoryMb: number;
  memoryUsedMb: number;
  /** The share (0–100) of the engine's room for nodes that is taken, as placement counts it. */
  loadPercent: number;
  cpus?: number;
  /** False for a server's one engine (no fleet configured): there is nowhere else to send new sessions. */
  canDrain: boolean;
}

/** How many learners of a lesson fit on the engines taking sessions (server/fleet/capacity-plan.ts), for the event form. */
export interface CapacityView {
  lesson: string;
  /** The class size asked about. */
  learners: number;
  /** Learners of the lesson that fit, within the server's own limits too. */
  fit: number;
  fits: boolean;
  nodesPerLearner: number;
  engines: Array<{ name: string; state: 'up' | 'down' | 'draining'; learners: number; boundBy?: 'memory' | 'cpu' | 'nodes' }>;
  /** Set when the server's own limits (sessions, nodes) allow fewer learners than the engines hold. */
  serverLimit?: number;
}
