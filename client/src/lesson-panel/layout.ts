import type { LessonSummary } from '../../../shared/lesson-protocol.js';
import { t } from '../i18n/i18n.js';

const KNOWN_TEMPLATES = ['single', 'swarm-1m2w', 'swarm-3m2w'] as const;

/** A cluster layout in words: "3 nodes: 1 manager, 2 workers, swarm formed". */
export function layoutLabel(template: string, swarm: boolean): string {
  const nodes = (KNOWN_TEMPLATES as readonly string[]).includes(template) ? t(`layout.templates.${template as (typeof KNOWN_TEMPLATES)[number]}`) : template;
  if (template === 'single') return t(swarm ? 'layout.singleSwarm' : 'layout.singlePlain', { nodes });
  return t(swarm ? 'layout.swarmFormed' : 'layout.noSwarmYet', { nodes });
}

export function fitsSession(lesson: Pick<LessonSummary, 'template' | 'swarm'>, session: { template: string; swarm: boolean }): boolean {
  return lesson.template === session.template && lesson.swarm === session.swarm;
}
