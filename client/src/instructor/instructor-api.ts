import type { CreateEventRequest } from '../../../shared/classroom-protocol.js';
import { BulkOutcomeSchema, CapacityViewSchema, EngineListSchema, EventDetailSchema, EventListSchema, EventViewSchema, GradeEventAnswerSchema, InstructorLoginSchema, InstructorMeSchema, LearnerClusterSchema, MessageSentSchema, RevealAnswerSchema } from '../../../shared/view-schemas.js';
import { call, callVoid } from '../api.js';

type BulkAction = { action: 'restart' } | { action: 'skip'; step: number };

/** The instructor's routes; the login cookie (httpOnly) authenticates every call, the stream and downloads. */
export const instructorApi = {
  me: () => call(InstructorMeSchema, 'GET', '/api/instructor/me'),
  login: (password: string) => call(InstructorLoginSchema, 'POST', '/api/instructor/login', { body: { password } }),
  logout: () => callVoid('POST', '/api/instructor/logout'),
  events: () => call(EventListSchema, 'GET', '/api/instructor/events').then((r) => r.events),
  createEvent: (request: Omit<CreateEventRequest, 'warmPool'> & { warmPool?: number }) => call(EventViewSchema, 'POST', '/api/instructor/events', { body: request }),
  event: (id: string) => call(EventDetailSchema, 'GET', `/api/instructor/events/${id}`),
  endEvent: (id: string) => callVoid('POST', `/api/instructor/events/${id}/end`),
  message: (id: string, text: string) => call(MessageSentSchema, 'POST', `/api/instructor/events/${id}/message`, { body: { text } }),
  /** After grading: the class may now see the lessons' hidden solutions. */
  revealSolutions: (id: string) => call(RevealAnswerSchema, 'POST', `/api/instructor/events/${id}/reveal-solutions`),
  grade: (id: string, lesson: string) => call(GradeEventAnswerSchema, 'POST', `/api/instructor/events/${id}/grade`, { body: { lesson } }),
  learnerAction: (id: string, action: 'extend' | 'reset' | 'end') => callVoid('POST', `/api/instructor/learners/${id}/${action}`),
  /** "Skip to this step" for one learner (`step` 0-based): the server runs the earlier steps' solutions in their nodes. */
  skipLearner: (id: string, step: number) => callVoid('POST', `/api/instructor/learners/${id}/skip`, { body: { step } }),
  /** Restart the lesson, or catch up to a step, for every learner of the event. */
  everyone: (id: string, body: BulkAction) => call(BulkOutcomeSchema, 'POST', `/api/instructor/events/${id}/everyone`, { body }),
  learnerCluster: (id: string) => call(LearnerClusterSchema, 'GET', `/api/instructor/learners/${id}/cluster`),
  /** The fleet's engines (404 when the server drives one engine and has no fleet). */
  engines: () => call(EngineListSchema, 'GET', '/api/instructor/engines').then((r) => r.engines),
  engineAction: (name: string, action: 'drain' | 'undrain') => call(EngineListSchema, 'POST', `/api/instructor/engines/${encodeURIComponent(name)}/${action}`).then((r) => r.engines),
  /** How many learners of a lesson fit on the engines taking sessions (the server's capacity plan). */
  capacity: (lesson: string, learners: number) => call(CapacityViewSchema, 'GET', `/api/instructor/capacity?${new URLSearchParams({ lesson, learners: String(learners) })}`),
};
