import { html, nothing } from 'lit-html';
import type { CapacityView } from '../../../shared/classroom-protocol.js';
import type { LessonSummary } from '../../../shared/lesson-protocol.js';
import { t } from '../i18n/i18n.js';
import { instructorApi } from './instructor-api.js';

/** Typing a class size asks once the typing pauses. */
const DEBOUNCE_MS = 300;

type Verdict = { kind: 'fit'; view: CapacityView } | { kind: 'unknown'; message: string };

/**
 * The event form's capacity check: for the lessons ticked and the class size, how many learners fit on the
 * engines (the server's capacity plan). Lessons of one layout need the same nodes, so each layout is asked once;
 * the lesson that fits fewest learners is the one reported. A newer question makes older answers stale.
 */
export class CapacityCheck {
  private verdict: Verdict | undefined;
  private pending: Promise<Verdict | undefined> | undefined;
  private asked = '';
  /** Nothing to ask about (no lesson ticked, no class size). */
  private idle = true;
  private asking = 0;
  private timer: number | undefined;
  private watched: HTMLFormElement | undefined;

  constructor(
    private readonly lessons: () => readonly LessonSummary[],
    private readonly changed: () => void,
  ) {}

  /** Called with the form on every render: the first time, the form's defaults are checked at once. */
  watch(form: Element | undefined): void {
    if (!(form instanceof HTMLFormElement) || form === this.watched) return;
    this.watched = form;
    // After the render that attached the form: asking redraws, and a redraw inside a render is not allowed.
    queueMicrotask(() => void this.ask(form));
  }

  /** After an edit of the form: asks again once the typing pauses. */
  edited(form: HTMLFormElement): void {
    clearTimeout(this.timer);
    this.timer = window.setTimeout(() => void this.ask(form), DEBOUNCE_MS);
  }

  /** The answer for what the form holds now (asked at once if it is not the one already asked). */
  async settle(form: HTMLFormElement): Promise<Verdict | undefined> {
    clearTimeout(this.timer);
    return this.ask(form);
  }

  private ask(form: HTMLFormElement): Promise<Verdict | undefined> {
    const data = new FormData(form);
    const chosen = data.getAll('lessons').map(String);
    const learners = Math.floor(Number(data.get('capacity')));
    const key = `${chosen.join(',')}|${learners}`;
    if (key === this.asked && this.pending) return this.pending;
    this.asked = key;
    const ticket = ++this.asking;
    this.idle = !chosen.length || !(learners >= 1);
    if (this.idle) {
      this.verdict = undefined;
      this.pending = Promise.resolve(undefined);
      this.changed();
      return this.pending;
    }
    this.verdict = undefined;
    this.changed();
    this.pending = this.fetch(chosen, learners).then((verdict) => {
      if (ticket === this.asking) {
        this.verdict = verdict;
        this.changed();
      }
      return verdict;
    });
    return this.pending;
  }

  private async fetch(chosen: string[], learners: number): Promise<Verdict> {
    const byLayout = new Map<string, string>();
    for (const id of chosen) {
      const lesson = this.lessons().find((l) => l.id === id);
      const layout = lesson ? `${lesson.template}:${lesson.swarm}` : id;
      if (!byLayout.has(layout)) byLayout.set(layout, id);
    }
    try {
      const views = await Promise.all([...byLayout.values()].map((id) => instructorApi.capacity(id, learners)));
      return { kind: 'fit', view: views.reduce((least, view) => (view.fit < least.fit ? view : least)) };
    } catch (error) {
      return { kind: 'unknown', message: (error as Error).message };
    }
  }

  /** Whether creating needs the explicit "create anyway": the class was checked and does not fit. */
  static short(verdict: Verdict | undefined): boolean {
    return verdict?.kind === 'fit' && !verdict.view.fits;
  }

  template() {
    const verdict = this.verdict;
    if (this.idle) return nothing;
    const view = verdict?.kind === 'fit' ? verdict.view : undefined;
    const title = view ? (this.lessons().find((l) => l.id === view.lesson)?.title ?? view.lesson) : '';
    const line = !verdict
      ? t('fleet.capacityChecking')
      : verdict.kind === 'unknown'
        ? t('fleet.capacityUnknown', { message: verdict.message })
        : t(verdict.view.fits ? 'fleet.capacityFits' : 'fleet.capacityShort', { fit: verdict.view.fit, learners: verdict.view.learners, lesson: title });
    const engines = view && view.engines.length > 1 ? t('fleet.capacityEngines', { engines: view.engines.map((e) => `${e.name} ${e.learners}${e.state === 'up' ? '' : ` (${t(`fleet.state.${e.state}`)})`}`).join(', ') }) : '';
    // One live region that stays while its words change, so a screen reader hears each new answer.
    return html`<div class="capacity-check ${view ? (view.fits ? 'fits' : 'short') : 'muted'}" data-fits=${view ? String(view.fits) : ''}>
      <p class="capacity-line" role="status">${line}</p>
      ${view?.serverLimit !== undefined ? html`<p class="muted">${t('fleet.capacityServerLimit', { limit: view.serverLimit })}</p>` : nothing}
      ${engines ? html`<p class="muted">${engines}</p>` : nothing}
      ${view && !view.fits ? html`<label class="create-anyway"><input type="checkbox" name="createAnyway" /> <span>${t('fleet.createAnyway')}</span></label>` : nothing}
    </div>`;
  }
}
