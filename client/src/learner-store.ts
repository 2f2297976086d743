const KEY = 'swarm-workshop.learner';

/** A classroom learner's token (it opens their session too), kept so the workspace finds them again after the browser closes. */
export interface LearnerCredentials {
  token: string;
  id: string;
  name: string;
  event: string;
}

export function loadLearner(): LearnerCredentials | null {
  try {
    const stored = JSON.parse(localStorage.getItem(KEY) ?? 'null') as LearnerCredentials | null;
    if (stored && typeof stored.token === 'string' && typeof stored.id === 'string') return stored;
  } catch {
    // a damaged entry is ignored
  }
  return null;
}

export function saveLearner(learner: LearnerCredentials): void {
  localStorage.setItem(KEY, JSON.stringify(learner));
}

export function clearLearner(): void {
  localStorage.removeItem(KEY);
}
