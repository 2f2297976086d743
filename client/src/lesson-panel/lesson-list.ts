import type { LessonSummary } from '../../../shared/lesson-protocol.js';
import { h } from '../dom.js';
import { fitsSession, layoutLabel } from './layout.js';

/** The lesson catalogue: one card per lesson, in course order. */
export function renderLessonList(el: HTMLElement, lessons: LessonSummary[], session: { template: string; swarm: boolean }, open: (id: string) => void): void {
  const cards = lessons.map((lesson, index) => {
    const fits = fitsSession(lesson, session);
    const card = h(
      'button',
      { type: 'button', class: 'lesson-card', 'data-lesson': lesson.id },
      h('span', { class: 'lesson-number' }, String(index + 1)),
      h(
        'span',
        { class: 'lesson-card-body' },
        h('strong', { class: 'lesson-card-title' }, lesson.title),
        h('span', { class: 'lesson-card-summary' }, lesson.summary),
        h(
          'span',
          { class: 'lesson-card-meta' },
          h('span', {}, `${lesson.minutes} min`),
          h('span', {}, `${lesson.steps.length} steps`),
          h('span', { class: fits ? 'fits' : 'needs', title: fits ? 'Runs on your current session' : 'Opens with an offer of a fresh session prepared for it' }, layoutLabel(lesson.template, lesson.swarm)),
        ),
      ),
    );
    card.onclick = () => open(lesson.id);
    return card;
  });
  el.replaceChildren(h('div', { class: 'lesson-list-head' }, h('h2', {}, 'Lessons'), h('p', { class: 'muted' }, 'Pick a lesson. Each step has commands to run and checks that read your real cluster.')), h('div', { class: 'lesson-list' }, ...cards));
}
