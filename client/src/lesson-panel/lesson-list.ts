import { html } from 'lit-html';
import { repeat } from 'lit-html/directives/repeat.js';
import type { LessonSummary } from '../../../shared/lesson-protocol.js';
import { t } from '../i18n/i18n.js';
import { fitsSession, layoutLabel } from './layout.js';

/** The lesson catalogue: one card per lesson, in course order. */
export function lessonList(lessons: readonly LessonSummary[], session: { template: string; swarm: boolean }, open: (id: string) => void) {
  return html`<div class="lesson-list-head"><h2>${t('lessons.title')}</h2><p class="muted">${t('lessons.intro')}</p></div>
    <div class="lesson-list">
      ${repeat(
        lessons,
        (lesson) => lesson.id,
        (lesson, index) => {
          const fits = fitsSession(lesson, session);
          return html`<button type="button" class="lesson-card" data-lesson=${lesson.id} @click=${() => open(lesson.id)}>
            <span class="lesson-number">${index + 1}</span>
            <span class="lesson-card-body">
              <strong class="lesson-card-title">${lesson.title}</strong>
              <span class="lesson-card-summary">${lesson.summary}</span>
              <span class="lesson-card-meta">
                <span>${t('lessons.minutes', { count: lesson.minutes })}</span>
                <span>${t('lessons.steps', { count: lesson.steps.length })}</span>
                <span class=${fits ? 'fits' : 'needs'} title=${fits ? t('lessons.fits') : t('lessons.needs')}>${layoutLabel(lesson.template, lesson.swarm)}</span>
              </span>
            </span>
          </button>`;
        },
      )}
    </div>`;
}
