import type { CreateEventRequest, EventView, LearnerRow } from '../../../shared/classroom-protocol.js';
import type { ClusterView } from '../../../shared/lesson-protocol.js';
import type { SessionView } from '../../../shared/protocol.js';
import { call } from '../api.js';

/** The instructor's routes; the login cookie (httpOnly) authenticates every call, the stream and downloads. */
export const instructorApi = {
  me: () => call<{ configured: boolean; loggedIn: boolean }>('GET', '/api/instructor/me'),
  login: (password: string) => call<{ token: string }>('POST', '/api/instructor/login', undefined, { password }),
  logout: () => call<void>('POST', '/api/instructor/logout'),
  events: () => call<{ events: EventView[] }>('GET', '/api/instructor/events').then((r) => r.events),
  createEvent: (request: Omit<CreateEventRequest, 'warmPool'> & { warmPool?: number }) => call<EventView>('POST', '/api/instructor/events', undefined, request),
  event: (id: string) => call<{ event: EventView; learners: LearnerRow[] }>('GET', `/api/instructor/events/${id}`),
  endEvent: (id: string) => call<void>('POST', `/api/instructor/events/${id}/end`),
  message: (id: string, text: string) => call<{ sent: number }>('POST', `/api/instructor/events/${id}/message`, undefined, { text }),
  grade: (id: string, lesson: string) => call<{ reports: unknown[] }>('POST', `/api/instructor/events/${id}/grade`, undefined, { lesson }),
  resultsUrl: (id: string, lesson: string, format: 'csv' | 'junit' | 'json') => `/api/instructor/events/${id}/results?lesson=${encodeURIComponent(lesson)}&format=${format}`,
  learnerAction: (id: string, action: 'extend' | 'reset' | 'end') => call<void>('POST', `/api/instructor/learners/${id}/${action}`),
  learnerCluster: (id: string) => call<{ session: SessionView; cluster: ClusterView }>('GET', `/api/instructor/learners/${id}/cluster`),
  watchUrl: (learner: string, node: string, query: Record<string, string | number | undefined>) => {
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(query)) if (value !== undefined) params.set(key, String(value));
    return `${location.protocol === 'https:' ? 'wss:' : 'ws:'}//${location.host}/api/instructor/learners/${learner}/nodes/${node}/terminal?${params}`;
  },
};
