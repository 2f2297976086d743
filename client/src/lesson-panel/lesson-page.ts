import { html, nothing, render } from 'lit-html';
import { repeat } from 'lit-html/directives/repeat.js';
import type { CheckRunView, GradeReport, LessonStepView, LessonView } from '../../../shared/lesson-protocol.js';
import { number } from '../i18n/format.js';
import { t } from '../i18n/i18n.js';
import type { Credentials } from '../storage.js';
import { checkList } from './check-list.js';
import { enhanceCodeBlocks } from './code-blocks.js';
import { fitsSession, layoutLabel } from './layout.js';
import { lessonApi } from './lesson-api.js';
import type { CheckState } from './types.js';

/** What the learner did on a lesson page, whatever its language: carried over when the lesson is served in another. */
export interface PageMemory {
  readonly states: Map<string, CheckState>;
  readonly openHints: Set<string>;
  readonly openSolutions: Set<number>;
}

export interface LessonPageContext {
  creds: Credentials;
  session: { template: string; swarm: boolean };
  /** Classroom learners get their fresh session through their position, not a new anonymous one. */
  classroom: boolean;
  selectNode(name: string): void;
  back(): void;
  /** Replaces the session with one prepared for this lesson (the panel is mounted again afterwards). */
  prepareSession(lesson: LessonView): Promise<void>;
  /** The learner moved to another step (for remembering it, and for the instructor's table). */
  stepChanged(lesson: string, step: number, fits: boolean): void;
  /**
   * Catch up to a step (classroom and self-paced learners), or restart the lesson on fresh nodes (classroom
   * learners; a self-paced learner starts a fresh session from the lesson list). docs/classroom.md.
   */
  catchUp?: { skipTo(step: number): Promise<void>; restart?(): Promise<void> };
  /** Classroom learners: the hidden solutions (the final exercise's) once the instructor revealed them, else null. */
  revealedSolutions?(lesson: string, lang: string): Promise<Map<number, string> | null>;
}

/** Lesson HTML rendered by the server's markdown-it with raw HTML off, in an element of its own. */
function lessonHtml(className: string, source: string): HTMLElement {
  const el = document.createElement('div');
  el.className = `lesson-html ${className}`;
  el.innerHTML = source;
  return el;
}

/**
 * One lesson, one step at a time: the text with Run/Copy on its blocks, its checks, prev/next. Rendered with
 * lit-html from the page's state; each step's text is built once and kept, so a block's Run output survives a
 * Check, a progress update or a visit to another step.
 */
export class LessonPage {
  readonly element: HTMLElement;
  private step: number;
  private readonly states: Map<string, CheckState>;
  private readonly openHints: Set<string>;
  private readonly openSolutions: Set<number>;
  private readonly stepBodies = new Map<number, HTMLElement>();
  /** Steps the server caught up for this learner ("skip to this step"): shown as skipped, never as earned. */
  private skipped = new Set<number>();
  private readonly solutions = new Map<number, HTMLElement>();
  /** Solutions the page does not carry (hidden for graded exercises), revealed by the instructor after grading. */
  private revealed = new Map<number, string>();
  private readonly fits: boolean;
  private checking = false;
  private prepare: { busy: boolean; error?: string } = { busy: false };
  private catchUpState: { busy: boolean; status?: string; error?: boolean } = { busy: false };

  constructor(
    private readonly lesson: LessonView,
    private readonly ctx: LessonPageContext,
    startStep: number,
    memory?: PageMemory,
  ) {
    // Check ids are the same in every language, so results, open hints and open solutions carry over as they are.
    this.states = memory?.states ?? new Map();
    this.openHints = memory?.openHints ?? new Set();
    this.openSolutions = memory?.openSolutions ?? new Set();
    this.fits = fitsSession(lesson, ctx.session);
    this.step = Math.min(Math.max(0, startStep), lesson.stepViews.length - 1);
    this.element = document.createElement('div');
    this.element.className = 'lesson-page';
    this.element.dataset.lesson = lesson.id;
    // A lesson served in English as a fallback is marked so, whatever the page's language.
    this.element.lang = lesson.lang;
    this.render();
  }

  get currentStep(): number {
    return this.step;
  }

  get lessonId(): string {
    return this.lesson.id;
  }

  get memory(): PageMemory {
    return { states: this.states, openHints: this.openHints, openSolutions: this.openSolutions };
  }

  /** Draws the page again (its own words follow the active language; the lesson's text is as it was served). */
  redraw(): void {
    this.render();
  }

  /** Loads the stored latest results, so ticks survive a reload. */
  async loadProgress(): Promise<void> {
    const revealed = await this.ctx.revealedSolutions?.(this.lesson.id, this.lesson.lang).catch(() => null);
    if (revealed?.size) {
      this.revealed = revealed;
      this.render();
    }
    if (!this.fits) return;
    try {
      this.applyReport(await lessonApi.progress(this.ctx.creds, this.lesson.id));
      this.render();
    } catch {
      // no progress yet is fine
    }
  }

  go(step: number): void {
    if (step < 0 || step >= this.lesson.stepViews.length || step === this.step) return;
    this.step = step;
    this.render();
    this.element.querySelector('.step-scroll')?.scrollTo({ top: 0 });
    this.ctx.stepChanged(this.lesson.id, step, this.fits);
  }

  private applyReport(report: GradeReport): void {
    this.skipped = new Set(report.skippedSteps ?? []);
    for (const check of report.checks) {
      if (check.skipped) this.states.set(check.id, { status: 'skipped', findings: [], earned: 0 });
      else if (check.checkedAt) this.states.set(check.id, { status: check.passed ? 'passed' : 'failed', findings: check.failures, earned: check.earned });
    }
  }

  private applyRun(run: CheckRunView, step: number): void {
    for (const check of run.checks) {
      // A skipped step's checks hold (its solution ran) and earn nothing: they stay skipped.
      const skipped = this.skipped.has(step) && check.points.earned === 0;
      this.states.set(check.id, {
        status: skipped ? 'skipped' : check.passed ? 'passed' : 'failed',
        findings: check.assertions.filter((a) => !a.passed),
        hint: check.hint,
        earned: check.points.earned,
      });
    }
  }

  private stepPassed(step: LessonStepView): boolean {
    return step.checks.length > 0 && step.checks.every((c) => this.states.get(c.id)?.status === 'passed');
  }

  private stepFailed(step: LessonStepView): boolean {
    return step.checks.some((c) => this.states.get(c.id)?.status === 'failed');
  }

  /** The step's text with its blocks enhanced, built on first view and kept for the page's life. */
  private stepBody(step: LessonStepView): HTMLElement {
    let body = this.stepBodies.get(step.index);
    if (!body) {
      body = lessonHtml('step-body', step.html);
      // In an exam (help hidden) blocks get Copy only: Run would type the answer for the learner.
      enhanceCodeBlocks(body, this.fits && !this.lesson.helpHidden ? { run: (block) => lessonApi.run(this.ctx.creds, this.lesson.id, step.index, block), showNode: (node) => this.ctx.selectNode(node) } : null);
      this.stepBodies.set(step.index, body);
    }
    return body;
  }

  /** A step's solution, built when first shown, with Copy (never Run) on its blocks. */
  private solution(step: LessonStepView, source: string): HTMLElement {
    let solution = this.solutions.get(step.index);
    if (!solution) {
      enhanceCodeBlocks((solution = lessonHtml('solution', source)), null);
      this.solutions.set(step.index, solution);
    }
    return solution;
  }

  private readonly intro = (() => {
    let intro: HTMLElement | undefined;
    return (): HTMLElement => {
      if (!intro) enhanceCodeBlocks((intro = lessonHtml('lesson-intro', this.lesson.introHtml)), null);
      return intro;
    };
  })();

  private render(): void {
    const step = this.lesson.stepViews[this.step];
    const last = this.lesson.stepViews.length - 1;
    render(
      html`<header class="lesson-head">
          <button type="button" class="link-button back" @click=${() => this.ctx.back()}>${t('lesson.back')}</button>
          <h2 class="lesson-title">${this.lesson.title}</h2>
          ${this.progress()} ${this.fits ? nothing : this.layoutBanner()} ${this.catchUpTools()}
          <ol class="step-list" aria-label=${t('lesson.steps')}>
            ${repeat(this.lesson.stepViews, (s) => s.index, (s) => this.stepPill(s))}
          </ol>
        </header>
        <div class="step-scroll">
          ${this.step === 0 && this.lesson.introHtml.trim() ? this.intro() : nothing}
          <h3 class="step-title"><span class="step-number">${t('lesson.stepOf', { step: this.step + 1, total: last + 1 })}</span>${step.title}</h3>
          ${this.skipped.has(step.index) ? html`<p class="skipped-note" role="note">${t('catchUp.skippedStepNote')}</p>` : nothing}
          ${this.stepBody(step)} ${this.checkSection(step)}
        </div>
        <footer class="step-footer">
          <button type="button" class="button" data-action="prev" ?disabled=${this.step === 0} @click=${() => this.go(this.step - 1)}>${t('lesson.previous')}</button>
          <span class="step-count">${this.step + 1} / ${last + 1}</span>
          <button type="button" class="button ${this.stepPassed(step) ? 'primary' : ''}" data-action="next" @click=${() => (this.step === last ? this.ctx.back() : this.go(this.step + 1))}>
            ${this.step === last ? t('lesson.backToLessons') : t('lesson.next')}
          </button>
        </footer>`,
      this.element,
    );
  }

  private progress() {
    const checks = this.lesson.stepViews.flatMap((s) => s.checks);
    const passed = checks.filter((c) => this.states.get(c.id)?.status === 'passed').length;
    const possible = checks.reduce((sum, c) => sum + c.points, 0);
    const earned = checks.reduce((sum, c) => sum + (this.states.get(c.id)?.earned ?? 0), 0);
    const pct = checks.length ? Math.round((passed / checks.length) * 100) : 0;
    return html`<div class="lesson-progress">
      <div class="progress-bar" role="progressbar" aria-label=${t('lesson.progressLabel')} aria-valuemin="0" aria-valuemax="100" aria-valuenow=${pct}><span style="width:${pct}%"></span></div>
      <span class="progress-text">${t('lesson.progress', { passed, checks: checks.length, earned: number(earned), possible: number(possible), minutes: this.lesson.minutes })}</span>
    </div>`;
  }

  private stepPill(step: LessonStepView) {
    const state = this.skipped.has(step.index) ? 'skipped' : this.stepPassed(step) ? 'done' : this.stepFailed(step) ? 'failing' : '';
    const current = step.index === this.step;
    return html`<li>
      <button
        type="button"
        class="step-pill ${state} ${current ? 'current' : ''}"
        title=${`${step.index + 1}. ${step.title}`}
        aria-label=${t(state === 'done' ? 'lesson.stepLabelDone' : state === 'skipped' ? 'lesson.stepLabelSkipped' : 'lesson.stepLabel', { step: step.index + 1, title: step.title })}
        aria-current=${current ? 'step' : 'false'}
        data-step=${step.index}
        @click=${() => this.go(step.index)}
      >
        ${state === 'done' ? '✓' : state === 'skipped' ? '↷' : step.index + 1}
      </button>
    </li>`;
  }

  /** The exam note, "Restart lesson", and "Skip to this step" on any step after the first (not in an exam). */
  private catchUpTools() {
    const tools = this.ctx.catchUp;
    const exam = this.lesson.helpHidden ? html`<p class="exam-note" role="note">${t('catchUp.examNote')}</p>` : nothing;
    if (!tools || !this.fits) return exam;
    const { busy, status, error } = this.catchUpState;
    const act = async (confirmText: string, action: () => Promise<void>, done: string) => {
      if (!confirm(confirmText)) return;
      this.catchUpState = { busy: true, status: t('catchUp.skipping') };
      this.render();
      try {
        await action();
        this.catchUpState = { busy: false, status: done };
      } catch (failure) {
        this.catchUpState = { busy: false, status: t('catchUp.failed', { message: (failure as Error).message }), error: true };
      }
      this.render();
    };
    const step = this.step;
    const skip = () => act(t('catchUp.confirmSkip', { step: step + 1 }), async () => {
      await tools.skipTo(step);
      await this.loadProgress();
    }, t('catchUp.skipped', { step: step + 1 }));
    return html`${exam}<div class="catch-up-tools">
      ${step > 0 && !this.lesson.helpHidden
        ? html`<button type="button" class="button small" data-action="skip-to-step" title=${t('catchUp.skipTitle')} ?disabled=${busy} @click=${() => void skip()}>${t('catchUp.skip')}</button>`
        : nothing}
      ${tools.restart
        ? html`<button type="button" class="button small" data-action="restart-lesson" ?disabled=${busy} @click=${() => void act(t('catchUp.confirmRestart'), () => tools.restart!(), '')}>${t('catchUp.restart')}</button>`
        : nothing}
      <span class="catch-up-status ${error ? 'error' : ''}" role="status">${status ?? ''}</span>
    </div>`;
  }

  private layoutBanner() {
    const start = () => {
      this.prepare = { busy: true };
      this.render();
      void this.ctx.prepareSession(this.lesson).catch((error: Error) => {
        this.prepare = { busy: false, error: error.message };
        this.render();
      });
    };
    const { busy, error } = this.prepare;
    const label = busy ? t('lesson.preparing') : error ? t('lesson.tryAgain') : this.ctx.classroom ? t('lesson.switchPrepared') : t('lesson.startFresh');
    return html`<div class="layout-banner" role="note">
      <p>${t('lesson.layoutBefore')}<strong>${layoutLabel(this.lesson.template, this.lesson.swarm)}</strong>${t('lesson.layoutMiddle')}<strong>${layoutLabel(this.ctx.session.template, this.ctx.session.swarm)}</strong>${t('lesson.layoutAfter')}</p>
      <button type="button" class="button primary small" data-action="prepare-session" ?disabled=${busy} @click=${start}>${label}</button>
      <p class="layout-note ${error ? 'error' : ''}">${error ? t('lesson.prepareFailed', { message: error }) : t('lesson.layoutNote')}</p>
    </div>`;
  }

  private checkSection(step: LessonStepView) {
    const passed = this.stepPassed(step);
    const last = this.lesson.stepViews.length - 1;
    const lessonDone = passed && this.step === last && this.lesson.stepViews.every((s) => !s.checks.length || this.stepPassed(s));
    const solutionOpen = this.openSolutions.has(step.index);
    const solutionHtml = step.solutionHtml ?? this.revealed.get(step.index);
    return html`<section class="check-section ${passed ? 'passed' : this.stepFailed(step) ? 'failing' : ''}" aria-label=${t('checks.sectionLabel')} data-step=${step.index}>
      ${step.checks.length
        ? html`<header class="check-head">
              <div><strong>${passed ? t('checks.stepComplete') : t('checks.title')}</strong><span class="muted">${passed ? t('checks.allPass') : t('checks.fromCluster')}</span></div>
              <button
                type="button"
                class="button ${passed ? '' : 'primary'} check-button"
                data-action="check"
                title=${this.fits ? t('checks.checkTitle') : t('checks.switchFirst')}
                ?disabled=${this.checking || !this.fits}
                @click=${() => void this.check()}
              >
                ${this.checking ? t('checks.checking') : passed ? t('checks.checkAgain') : t('checks.check')}
              </button>
            </header>
            ${checkList(step, this.states, this.openHints, (id) => (this.openHints.has(id) ? this.openHints.delete(id) : this.openHints.add(id), this.render()))}
            ${passed && this.step < last ? html`<button type="button" class="button primary next-inline" @click=${() => this.go(this.step + 1)}>${t('checks.nextStep')}</button>` : nothing}
            ${lessonDone ? html`<p class="lesson-done">${t('checks.lessonDone')}</p>` : nothing}`
        : html`<p class="muted no-checks">${t('checks.nothingToCheck')}</p>`}
      ${solutionHtml
        ? html`<button type="button" class="link-button solution-toggle" @click=${() => (solutionOpen ? this.openSolutions.delete(step.index) : this.openSolutions.add(step.index), this.render())}>
              ${solutionOpen ? t('checks.hideSolution') : t('checks.showSolution')}
            </button>
            <div class="solution-host" ?hidden=${!solutionOpen}>${this.solution(step, solutionHtml)}</div>`
        : nothing}
    </section>`;
  }

  private async check(): Promise<void> {
    if (this.checking) return;
    this.checking = true;
    this.render();
    const step = this.step;
    try {
      this.applyRun(await lessonApi.check(this.ctx.creds, this.lesson.id, step), step);
    } catch (error) {
      for (const c of this.lesson.stepViews[step].checks) this.states.set(c.id, { status: 'failed', findings: [], error: (error as Error).message, earned: 0 });
    } finally {
      this.checking = false;
      this.render();
    }
  }
}
