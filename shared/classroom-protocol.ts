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
  | { type: 'session-ended' }
  | { type: 'session-extended'; expiresAt: string };
