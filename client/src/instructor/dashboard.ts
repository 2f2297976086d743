import { html, nothing, render } from 'lit-html';
import { repeat } from 'lit-html/directives/repeat.js';
import type { DashboardMessage, EventView, LearnerRow } from '../../../shared/classroom-protocol.js';
import type { LessonSummary } from '../../../shared/lesson-protocol.js';
import { DashboardMessageSchema } from '../../../shared/view-schemas.js';
import { copyText } from '../clipboard.js';
import { LANGUAGE_NAMES } from '../i18n/catalogues.js';
import { ago, dateTime, duration, number } from '../i18n/format.js';
import { t } from '../i18n/i18n.js';
import { parseStreamData } from '../session-stream.js';
import { showToast } from '../toasts.js';
import { resultsUrl } from '../urls.js';
import { EnginesPanel } from './engines-panel.js';
import { instructorApi } from './instructor-api.js';
import { LearnerDrawer } from './learner-drawer.js';

/** "On step" keeps counting between updates; the table is redrawn (in place) this often. */
const CLOCK_MS = 15_000;

interface Row extends LearnerRow {
  /** When this row arrived, so "time on step" keeps counting between updates. */
  receivedAt: number;
}

type LiveState = 'connecting' | 'live' | 'reconnecting' | 'closed';
type LearnerAction = 'extend' | 'reset' | 'end';

/**
 * One event's live dashboard: the join code, tools, and a table of learners kept current over server-sent
 * events. Everything is rendered with lit-html and updated in place: rows are keyed by learner, so an open row
 * menu, a half-typed message or the chosen lesson stay through every update and the clock.
 */
/** Escape closes a row's open action menu and gives focus back to its toggle (the menu is a disclosure). */
function closeMenuOnEscape(event: KeyboardEvent): void {
  const menu = event.currentTarget as HTMLDetailsElement;
  if (event.key !== 'Escape' || !menu.open) return;
  event.preventDefault();
  menu.open = false;
  menu.querySelector('summary')?.focus();
}

export class Dashboard {
  readonly element: HTMLElement;
  private event: EventView;
  private readonly rows = new Map<string, Row>();
  private readonly source: EventSource;
  private readonly drawer = new LearnerDrawer();
  /** The fleet's engines (hidden on a server with one engine); it refreshes itself. */
  private readonly engines = new EnginesPanel();
  private readonly timer: number;
  private live: LiveState = 'connecting';
  private grading = false;
  private bulkBusy = false;

  constructor(
    event: EventView,
    private lessons: readonly LessonSummary[],
    private readonly changed: (event: EventView) => void,
  ) {
    this.event = event;
    this.element = document.createElement('section');
    this.element.className = 'dashboard';
    this.element.dataset.event = event.id;
    this.source = new EventSource(`/api/instructor/events/${event.id}/stream`);
    this.source.onopen = () => this.setLive('live');
    this.source.onerror = () => this.setLive(this.source.readyState === EventSource.CLOSED ? 'closed' : 'reconnecting');
    this.source.onmessage = (message: MessageEvent<string>) => {
      const data = parseStreamData(DashboardMessageSchema, message.data);
      if (data) this.onMessage(data);
    };
    this.timer = window.setInterval(() => this.render(), CLOCK_MS);
    this.render();
  }

  dispose(): void {
    this.source.close();
    clearInterval(this.timer);
    this.drawer.close();
    this.engines.dispose();
  }

  /** Draws the dashboard again (after a change of language). */
  redraw(): void {
    this.render();
    this.engines.redraw();
  }

  /** Lesson titles as served in the active language. */
  useLessons(lessons: readonly LessonSummary[]): void {
    this.lessons = lessons;
    this.render();
  }

  private setLive(state: LiveState): void {
    this.live = state;
    this.render();
  }

  private onMessage(message: DashboardMessage): void {
    const now = Date.now();
    if (message.type === 'snapshot') {
      this.event = message.event;
      this.rows.clear();
      for (const row of message.learners) this.rows.set(row.id, { ...row, receivedAt: now });
      this.changed(message.event);
    } else if (message.type === 'learner') {
      const isNew = !this.rows.has(message.learner.id);
      this.rows.set(message.learner.id, { ...message.learner, receivedAt: now });
      if (isNew) {
        this.event = { ...this.event, learners: this.rows.size };
        this.changed(this.event);
      }
    } else if (message.type === 'left') {
      this.rows.delete(message.learnerId);
    }
    this.render();
  }

  private lessonTitle(id: string): string {
    return this.lessons.find((l) => l.id === id)?.title ?? id;
  }

  private render(): void {
    render(html`${this.header()} ${this.tools()} ${this.table()} ${this.engines.element} ${this.drawer.element}`, this.element);
  }

  private header() {
    const e = this.event;
    const details = [
      t('dashboard.learnerCount', { learners: e.learners, capacity: e.capacity }),
      e.opensAt ? t('dashboard.opens', { at: dateTime(e.opensAt) }) : '',
      e.closesAt ? t('dashboard.closes', { at: dateTime(e.closesAt) }) : '',
      e.warmPool ? t('dashboard.warmPool', { count: e.warmPool }) : '',
      e.language ? t('dashboard.language', { language: LANGUAGE_NAMES[e.language] }) : '',
      e.exam ? t('catchUp.examWindow', { opens: dateTime(e.exam.opensAt), closes: dateTime(e.exam.closesAt) }) : '',
      e.exam?.gradedAt ? t('catchUp.examGraded', { at: dateTime(e.exam.gradedAt) }) : '',
    ].filter(Boolean);
    const copyLink = () => {
      void copyText(e.joinUrl);
      showToast(t('dashboard.linkCopied'));
    };
    return html`<div class="event-header">
      <div class="event-title">
        <h2>${e.name}</h2>
        ${e.endedAt ? html`<span class="badge down">${t('dashboard.ended')}</span>` : html`<span class="badge worker">${t('dashboard.open')}</span>`}
        <span class="muted">${details.join(' · ')}</span>
      </div>
      <div class="join-box">
        <div><small class="muted">${t('dashboard.joinCode')}</small><div class="join-code" data-join-code>${e.joinCode}</div></div>
        <div class="join-url"><small class="muted">${t('dashboard.joinLink')}</small><a href=${e.joinUrl} target="_blank" rel="noopener" id="join-link">${e.joinUrl}</a></div>
        <button type="button" class="button small" @click=${copyLink}>${t('dashboard.copyLink')}</button>
        <button type="button" class="button small danger" ?disabled=${Boolean(e.endedAt)} @click=${() => void this.endEvent()}>${t('dashboard.endEvent')}</button>
      </div>
      <div class="event-lessons">${e.lessons.map((id, i) => html`<span class="chip">${i + 1}. ${this.lessonTitle(id)}</span>`)}</div>
    </div>`;
  }

  private tools() {
    const gradeLesson = () => this.element.querySelector<HTMLSelectElement>('.grade-tool select')!.value;
    const download = (format: 'csv' | 'junit' | 'json') =>
      html`<a class="button small" href="#" download @click=${(event: MouseEvent) => (event.currentTarget as HTMLAnchorElement).setAttribute('href', resultsUrl(this.event.id, gradeLesson(), format))}
        >${t(`dashboard.download.${format}`)}</a
      >`;
    return html`<div class="tools">
      <div class="tool">
        <h3>${t('dashboard.message')}</h3>
        <form class="message-form" @submit=${(event: SubmitEvent) => void this.sendMessage(event)}>
          <input type="text" maxlength="500" placeholder=${t('dashboard.messagePlaceholder')} aria-label=${t('dashboard.messageLabel')} />
          <button type="submit" class="button primary">${t('dashboard.send')}</button>
        </form>
      </div>
      <div class="tool grade-tool">
        <h3>${t('dashboard.gradeTitle')}</h3>
        <div class="grade-row">
          <select aria-label=${t('dashboard.gradeLesson')}>
            ${repeat(this.event.lessons, (id) => id, (id) => html`<option value=${id}>${this.lessonTitle(id)}</option>`)}
          </select>
          <button type="button" class="button" title=${t('dashboard.gradeHint')} ?disabled=${this.grading} @click=${() => void this.grade(gradeLesson())}>
            ${this.grading ? t('dashboard.grading') : t('dashboard.grade')}
          </button>
          ${download('csv')} ${download('junit')} ${download('json')}
          <button type="button" class="button" data-action="reveal-solutions" title=${t('dashboard.revealHint')} ?disabled=${Boolean(this.event.solutionsRevealedAt)} @click=${() => void this.revealSolutions()}>
            ${this.event.solutionsRevealedAt ? t('dashboard.solutionsRevealed') : t('dashboard.revealSolutions')}
          </button>
        </div>
      </div>
      ${this.everyoneTool()}
    </div>`;
  }

  /** Restart the lesson, or catch up to a step, for every learner at once. */
  private everyoneTool() {
    const ended = Boolean(this.event.endedAt);
    const run = async (confirmText: string, body: Parameters<typeof instructorApi.everyone>[1]) => {
      if (!confirm(confirmText)) return;
      this.bulkBusy = true;
      this.render();
      try {
        const outcome = await instructorApi.everyone(this.event.id, body);
        showToast(t('catchUp.bulkDone', { done: outcome.done, failed: outcome.failed.length }), { kind: outcome.failed.length ? 'error' : 'success' });
        for (const failure of outcome.failed) showToast(`${failure.name}: ${failure.error}`, { kind: 'error' });
      } catch (error) {
        showToast((error as Error).message, { kind: 'error' });
      } finally {
        this.bulkBusy = false;
        this.render();
      }
    };
    const skip = (event: SubmitEvent) => {
      event.preventDefault();
      const step = Number((event.currentTarget as HTMLFormElement).querySelector('input')!.value);
      if (Number.isInteger(step) && step >= 2) void run(t('catchUp.confirmSkipEveryone', { step }), { action: 'skip', step: step - 1 });
    };
    return html`<div class="tool everyone-tool">
      <h3>${t('catchUp.everyoneTitle')}</h3>
      <div class="grade-row">
        <button type="button" class="button" data-action="restart-everyone" ?disabled=${ended || this.bulkBusy} @click=${() => void run(t('catchUp.confirmRestartEveryone'), { action: 'restart' })}>
          ${t('catchUp.restartEveryone')}
        </button>
        <form class="skip-everyone" @submit=${skip}>
          <label>${t('catchUp.skipEveryoneStep')} <input type="number" name="step" min="2" max="100" value="2" /></label>
          <button type="submit" class="button" data-action="skip-everyone" ?disabled=${ended || this.bulkBusy}>${t('catchUp.skipEveryone')}</button>
        </form>
      </div>
    </div>`;
  }

  private table() {
    const rows = [...this.rows.values()].sort((a, b) => Number(b.stuck) - Number(a.stuck) || a.name.localeCompare(b.name));
    const stuck = rows.filter((r) => r.stuck).length;
    const now = Date.now();
    const columns = ['learner', 'lesson', 'checks', 'points', 'onStep', 'lastActivity', 'failing'] as const;
    return html`<div class="table-head">
        <h3>${t('dashboard.learners')}</h3>
        <span class="muted table-summary">${rows.length ? t('dashboard.summary', { count: rows.length }) + (stuck ? t('dashboard.summaryStuck', { count: stuck }) : '') : ''}</span>
        <span class="live-state ${this.live}">${t(`dashboard.live.${this.live}`)}</span>
      </div>
      <div class="table-wrap">
        <table class="learners">
          <thead>
            <tr>${columns.map((c) => html`<th scope="col">${t(`dashboard.columns.${c}`)}</th>`)}<th scope="col"></th></tr>
          </thead>
          <tbody>
            ${rows.length
              ? repeat(rows, (row) => row.id, (row) => this.row(row, now))
              : html`<tr><td colspan="8" class="empty">${t('dashboard.empty')}</td></tr>`}
          </tbody>
        </table>
      </div>`;
  }

  private row(row: Row, now: number) {
    const pct = row.checksTotal ? Math.round((row.checksPassed / row.checksTotal) * 100) : 0;
    const hasSession = row.sessionStatus === 'running';
    const step = row.stepTitle ? t('dashboard.stepTitled', { step: row.step + 1, title: row.stepTitle }) : t('dashboard.step', { step: row.step + 1 });
    return html`<tr class="${row.stuck ? 'stuck' : ''} ${hasSession ? '' : 'no-session'}" data-learner=${row.id} data-name=${row.name}>
      <td class="learner-cell">
        <strong>${row.name}</strong>
        ${row.stuck ? html`<span class="badge stuck" title=${t('dashboard.stuckTitle')}>${t('dashboard.stuck')}</span>` : nothing}
        ${hasSession ? nothing : html`<span class="badge">${t('dashboard.noSession')}</span>`}
      </td>
      <td>
        <div class="cell-main">${row.lesson ? this.lessonTitle(row.lesson) : '—'}</div>
        <div class="cell-sub muted">${step}</div>
        ${row.skippedSteps.length ? html`<div class="cell-sub muted skipped-steps">${t('catchUp.skippedSteps', { steps: row.skippedSteps.map((s) => s + 1).join(', ') })}</div>` : nothing}
      </td>
      <td class="checks-cell" data-checks="${row.checksPassed}/${row.checksTotal}">
        <div class="cell-main">${row.checksPassed} / ${row.checksTotal}</div>
        <div class="mini-bar"><span style="width:${pct}%"></span></div>
      </td>
      <td class="num">${number(row.points.earned)} / ${number(row.points.possible)}</td>
      <td class="num on-step">${duration(row.timeOnStepMs + (now - row.receivedAt))}</td>
      <td class="muted">${ago(row.lastActivity, now)}</td>
      <td class="failing-cell">${row.failing.length ? row.failing.map((f) => html`<span class="chip bad" title=${f}>${f}</span>`) : html`<span class="muted">—</span>`}</td>
      <td class="actions-cell">
        <button type="button" class="button small" data-action="watch-cluster" ?disabled=${!hasSession} @click=${() => this.drawer.showCluster(row)}>${t('dashboard.cluster')}</button>
        <button type="button" class="button small" data-action="watch-terminal" ?disabled=${!hasSession} @click=${() => void this.drawer.showTerminal(row)}>${t('dashboard.terminal')}</button>
        <details class="menu" @keydown=${closeMenuOnEscape}>
          <summary class="button small" aria-label=${t('dashboard.moreActions', { name: row.name })}>⋯</summary>
          <div class="menu-items">
            <button type="button" class="menu-item" ?disabled=${!hasSession} @click=${() => void this.action(row, 'extend')}>${t('dashboard.actions.extend')}</button>
            <button type="button" class="menu-item" data-action="reset-learner" @click=${() => void this.action(row, 'reset')}>${t('dashboard.actions.reset')}</button>
            <button type="button" class="menu-item" data-action="skip-learner" ?disabled=${!hasSession} @click=${() => void this.skipLearner(row)}>${t('catchUp.skipLearner')}</button>
            <button type="button" class="menu-item danger" ?disabled=${!hasSession} @click=${() => void this.action(row, 'end')}>${t('dashboard.actions.end')}</button>
          </div>
        </details>
      </td>
    </tr>`;
  }

  private async sendMessage(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    const input = form.querySelector('input')!;
    const send = form.querySelector('button')!;
    const text = input.value.trim();
    if (!text) return;
    send.disabled = true;
    try {
      const { sent } = await instructorApi.message(this.event.id, text);
      showToast(t('dashboard.messageSent', { count: sent }), { kind: 'success' });
      form.reset();
    } catch (error) {
      showToast((error as Error).message, { kind: 'error' });
    } finally {
      send.disabled = false;
    }
  }

  private async revealSolutions(): Promise<void> {
    if (!confirm(t('dashboard.confirmReveal'))) return;
    try {
      this.event = (await instructorApi.revealSolutions(this.event.id)).event;
      this.render();
    } catch (error) {
      showToast((error as Error).message, { kind: 'error' });
    }
  }

  private async grade(lesson: string): Promise<void> {
    this.grading = true;
    this.render();
    try {
      const { reports } = await instructorApi.grade(this.event.id, lesson);
      showToast(t('dashboard.graded', { count: reports.length }), { kind: 'success' });
    } catch (error) {
      showToast((error as Error).message, { kind: 'error' });
    } finally {
      this.grading = false;
      this.render();
    }
  }

  private async action(row: LearnerRow, action: LearnerAction): Promise<void> {
    if (action !== 'extend' && !confirm(t(`dashboard.confirm.${action}`, { name: row.name }))) return;
    try {
      await instructorApi.learnerAction(row.id, action);
      showToast(t(`dashboard.done.${action}`, { name: row.name }), { kind: 'success' });
    } catch (error) {
      showToast((error as Error).message, { kind: 'error' });
    }
  }

  private async skipLearner(row: LearnerRow): Promise<void> {
    const answer = prompt(t('catchUp.promptStep', { name: row.name }));
    const step = Number(answer);
    if (!answer || !Number.isInteger(step) || step < 2) return;
    try {
      await instructorApi.skipLearner(row.id, step - 1);
      showToast(t('catchUp.skippedLearner', { name: row.name, step }), { kind: 'success' });
    } catch (error) {
      showToast((error as Error).message, { kind: 'error' });
    }
  }

  private async endEvent(): Promise<void> {
    if (!confirm(t('dashboard.confirmEndEvent', { name: this.event.name }))) return;
    try {
      await instructorApi.endEvent(this.event.id);
      const { event } = await instructorApi.event(this.event.id);
      this.event = event;
      this.render();
      this.changed(event);
    } catch (error) {
      showToast((error as Error).message, { kind: 'error' });
    }
  }
}
