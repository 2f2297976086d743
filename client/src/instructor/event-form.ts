import { html } from 'lit-html';
import { ref } from 'lit-html/directives/ref.js';
import type { EventView } from '../../../shared/classroom-protocol.js';
import type { LessonSummary } from '../../../shared/lesson-protocol.js';
import { catalogues, isLanguage, LANGUAGE_NAMES, type Language } from '../i18n/catalogues.js';
import { t } from '../i18n/i18n.js';
import { layoutLabel } from '../lesson-panel/layout.js';
import { CapacityCheck } from './capacity-check.js';
import { instructorApi } from './instructor-api.js';

export interface EventFormState {
  busy: boolean;
  status: string;
  error: boolean;
  /** How many learners of the ticked lessons fit, asked as the form is filled in. */
  capacity: CapacityCheck;
}

export interface EventFormHandlers {
  /** Redraws the form with a new state (the fields keep what was typed: they have no bindings to their values). */
  update(state: EventFormState): void;
  created(event: EventView): void;
  cancel(): void;
}

/** The new-event form: name, lessons (in course order), capacity, optional opening window, warm pool, class language. */
export function eventForm(lessons: readonly LessonSummary[], state: EventFormState, handlers: EventFormHandlers) {
  const submit = async (event: SubmitEvent) => {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    const data = new FormData(form);
    const field = (name: string) => String(data.get(name) ?? '').trim();
    const chosen = data.getAll('lessons').map(String);
    const language = field('language');
    const refuse = (status: string) => handlers.update({ ...state, busy: false, status, error: true });
    if (!field('name')) return refuse(t('eventForm.needName'));
    if (!chosen.length) return refuse(t('eventForm.needLesson'));
    // An exam's window is the event's opening and closing times.
    const exam = data.get('exam') === 'on';
    if (exam && (!field('opensAt') || !field('closesAt'))) return refuse(t('catchUp.examNeedsTimes'));
    // A class that does not fit is created only by an explicit choice, made after the warning was shown.
    if (CapacityCheck.short(await state.capacity.settle(form)) && data.get('createAnyway') !== 'on') return refuse(t('fleet.needCreateAnyway'));
    handlers.update({ ...state, busy: true, status: t('eventForm.creating'), error: false });
    try {
      handlers.created(
        await instructorApi.createEvent({
          name: field('name'),
          lessons: chosen,
          capacity: Number(field('capacity')) || 30,
          warmPool: Number(field('warmPool')) || 0,
          ...(field('opensAt') ? { opensAt: new Date(field('opensAt')).toISOString() } : {}),
          ...(field('closesAt') ? { closesAt: new Date(field('closesAt')).toISOString() } : {}),
          ...(isLanguage(language) ? { language } : {}),
          ...(exam ? { exam: { opensAt: new Date(field('opensAt')).toISOString(), closesAt: new Date(field('closesAt')).toISOString() } } : {}),
        }),
      );
    } catch (error) {
      handlers.update({ ...state, busy: false, status: (error as Error).message, error: true });
    }
  };
  const optional = html`<small class="muted">${t('eventForm.optional')}</small>`;
  const edited = (event: Event) => state.capacity.edited(event.currentTarget as HTMLFormElement);
  return html`<form class="card event-form" id="event-form" @submit=${submit} @input=${edited} @change=${edited} ${ref((form) => state.capacity.watch(form))}>
    <h2>${t('eventForm.title')}</h2>
    <label class="field"><span>${t('eventForm.name')}</span><input name="name" required maxlength="120" placeholder=${t('eventForm.namePlaceholder')} autocomplete="off" autofocus /></label>
    <fieldset class="field lessons-field">
      <legend>${t('eventForm.lessons')} <small class="muted">${t('eventForm.lessonsNote')}</small></legend>
      <div class="lesson-options">
        ${lessons.map(
          (lesson, i) => html`<label class="lesson-option">
            <input type="checkbox" name="lessons" value=${lesson.id} ?checked=${i === 0} />
            <span><strong>${lesson.title}</strong><small class="muted">${t('eventForm.lessonMeta', { minutes: lesson.minutes, layout: layoutLabel(lesson.template, lesson.swarm) })}</small></span>
          </label>`,
        )}
      </div>
    </fieldset>
    <div class="field-row">
      <label class="field"><span>${t('eventForm.capacity')}</span><input type="number" name="capacity" min="1" max="500" value="30" /></label>
      <label class="field"><span>${t('eventForm.warmPool')} <small class="muted">${t('eventForm.warmPoolNote')}</small></span><input type="number" name="warmPool" min="0" max="50" value="0" /></label>
      <label class="field"><span>${t('eventForm.opens')} ${optional}</span><input type="datetime-local" name="opensAt" /></label>
      <label class="field"><span>${t('eventForm.closes')} ${optional}</span><input type="datetime-local" name="closesAt" /></label>
    </div>
    ${state.capacity.template()}
    <label class="field exam-field"><input type="checkbox" name="exam" /> <span>${t('catchUp.examField')}</span></label>
    <label class="field language-field"
      ><span>${t('eventForm.language')} <small class="muted">${t('eventForm.languageNote')}</small></span>
      <select name="language">
        <option value="">${t('eventForm.languageBrowser')}</option>
        ${(Object.keys(catalogues) as Language[]).map((lang) => html`<option value=${lang} lang=${lang}>${LANGUAGE_NAMES[lang]}</option>`)}
      </select></label
    >
    <div class="form-actions">
      <button type="submit" class="button primary" ?disabled=${state.busy}>${t('eventForm.create')}</button>
      <button type="button" class="button" @click=${handlers.cancel}>${t('eventForm.cancel')}</button>
      <p class="form-status ${state.error ? 'error' : ''}" role="status">${state.status}</p>
    </div>
  </form>`;
}
