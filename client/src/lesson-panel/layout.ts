import type { LessonSummary } from '../../../shared/lesson-protocol.js';

const TEMPLATE_LABELS: Record<string, string> = {
  single: '1 node',
  'swarm-1m2w': '3 nodes: 1 manager, 2 workers',
  'swarm-3m2w': '5 nodes: 3 managers, 2 workers',
};

/** A cluster layout in words: "3 nodes: 1 manager, 2 workers, swarm formed". */
export function layoutLabel(template: string, swarm: boolean): string {
  const nodes = TEMPLATE_LABELS[template] ?? template;
  if (template === 'single') return swarm ? `${nodes}, swarm formed` : `${nodes}, plain engine`;
  return `${nodes}, ${swarm ? 'swarm formed' : 'no swarm yet'}`;
}

export function fitsSession(lesson: Pick<LessonSummary, 'template' | 'swarm'>, session: { template: string; swarm: boolean }): boolean {
  return lesson.template === session.template && lesson.swarm === session.swarm;
}
