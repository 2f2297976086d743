import type { EventView } from '../../../shared/classroom-protocol.js';
import type { LessonSummary } from '../../../shared/lesson-protocol.js';
import { h } from '../dom.js';
import { layoutLabel } from '../lesson-panel/layout.js';
import { instructorApi } from './instructor-api.js';

/** The new-event form: name, lessons (in course order), capacity, optional opening window, warm pool. */
export function eventForm(lessons: LessonSummary[], created: (event: EventView) => void, cancel: () => void): HTMLElement {
  const name = h('input', { name: 'name', required: '', maxlength: '120', placeholder: 'e.g. Swarm basics — Tuesday', autocomplete: 'off' });
  const boxes = lessons.map((lesson, i) =>
    h(
      'label',
      { class: 'lesson-option' },
      h('input', { type: 'checkbox', name: 'lessons', value: lesson.id, ...(i === 0 ? { checked: '' } : {}) }),
      h('span', {}, h('strong', {}, lesson.title), h('small', { class: 'muted' }, `${lesson.minutes} min · ${layoutLabel(lesson.template, lesson.swarm)}`)),
    ),
  );
  const capacity = h('input', { type: 'number', name: 'capacity', min: '1', max: '500', value: '30' });
  const warm = h('input', { type: 'number', name: 'warmPool', min: '0', max: '50', value: '0' });
  const opens = h('input', { type: 'datetime-local', name: 'opensAt' });
  const closes = h('input', { type: 'datetime-local', name: 'closesAt' });
  const status = h('p', { class: 'form-status', role: 'status' });
  const submit = h('button', { type: 'submit', class: 'button primary' }, 'Create event');
  const cancelButton = h('button', { type: 'button', class: 'button' }, 'Cancel');
  cancelButton.onclick = cancel;
  const form = h(
    'form',
    { class: 'card event-form', id: 'event-form' },
    h('h2', {}, 'New event'),
    h('label', { class: 'field' }, h('span', {}, 'Name'), name),
    h('fieldset', { class: 'field lessons-field' }, h('legend', {}, 'Lessons ', h('small', { class: 'muted' }, '(learners start with the first one ticked)')), h('div', { class: 'lesson-options' }, ...boxes)),
    h(
      'div',
      { class: 'field-row' },
      h('label', { class: 'field' }, h('span', {}, 'Capacity'), capacity),
      h('label', { class: 'field' }, h('span', {}, 'Warm pool ', h('small', { class: 'muted' }, 'sessions started ahead')), warm),
      h('label', { class: 'field' }, h('span', {}, 'Opens ', h('small', { class: 'muted' }, 'optional')), opens),
      h('label', { class: 'field' }, h('span', {}, 'Closes ', h('small', { class: 'muted' }, 'optional')), closes),
    ),
    h('div', { class: 'form-actions' }, submit, cancelButton, status),
  );
  form.onsubmit = async (event) => {
    event.preventDefault();
    const chosen = boxes.map((b) => b.querySelector('input')!).filter((i) => i.checked).map((i) => i.value);
    if (!name.value.trim()) return void (status.textContent = 'Give the event a name.');
    if (!chosen.length) return void (status.textContent = 'Pick at least one lesson.');
    submit.disabled = true;
    status.textContent = 'Creating…';
    try {
      const view = await instructorApi.createEvent({
        name: name.value.trim(),
        lessons: chosen,
        capacity: Number(capacity.value) || 30,
        warmPool: Number(warm.value) || 0,
        ...(opens.value ? { opensAt: new Date(opens.value).toISOString() } : {}),
        ...(closes.value ? { closesAt: new Date(closes.value).toISOString() } : {}),
      });
      created(view);
    } catch (error) {
      status.textContent = (error as Error).message;
      status.classList.add('error');
      submit.disabled = false;
    }
  };
  queueMicrotask(() => name.focus());
  return form;
}
