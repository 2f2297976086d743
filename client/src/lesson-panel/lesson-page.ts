import type { LessonStepView, LessonView } from '../../../shared/lesson-protocol.js';
import type { Credentials } from '../api.js';
import { button, h } from '../dom.js';
import { renderChecks } from './check-list.js';
import { enhanceCodeBlocks } from './code-blocks.js';
import { fitsSession, layoutLabel } from './layout.js';
import { lessonApi } from './lesson-api.js';
import type { CheckRunView, CheckState, GradeReport } from './types.js';

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
}

/** One lesson, one step at a time: the text with Run/Copy on its blocks, its checks, prev/next. */
export class LessonPage {
  readonly element: HTMLElement;
  private step = 0;
  private readonly states = new Map<string, CheckState>();
  private readonly fits: boolean;
  private readonly scroller: HTMLElement;
  private readonly stepList: HTMLElement;
  private readonly progress: HTMLElement;
  private readonly footer: HTMLElement;
  private checking = false;

  constructor(
    private readonly lesson: LessonView,
    private readonly ctx: LessonPageContext,
    startStep: number,
  ) {
    this.fits = fitsSession(lesson, ctx.session);
    this.step = Math.min(Math.max(0, startStep), lesson.stepViews.length - 1);
    const back = button('← Lessons', () => ctx.back(), { class: 'link-button back' });
    this.progress = h('div', { class: 'lesson-progress' });
    this.stepList = h('ol', { class: 'step-list', 'aria-label': 'Steps' });
    this.scroller = h('div', { class: 'step-scroll' });
    this.footer = h('footer', { class: 'step-footer' });
    this.element = h(
      'div',
      { class: 'lesson-page', 'data-lesson': lesson.id },
      h('header', { class: 'lesson-head' }, back, h('h2', { class: 'lesson-title' }, lesson.title), this.progress, this.fits ? null : this.layoutBanner(), this.stepList),
      this.scroller,
      this.footer,
    );
    this.render();
  }

  /** Loads the stored latest results, so ticks survive a reload. */
  async loadProgress(): Promise<void> {
    if (!this.fits) return;
    try {
      this.applyReport(await lessonApi.progress(this.ctx.creds, this.lesson.id));
      this.render(false);
    } catch {
      // no progress yet is fine
    }
  }

  private applyReport(report: GradeReport): void {
    for (const check of report.checks) {
      if (!check.checkedAt) continue;
      this.states.set(check.id, { status: check.passed ? 'passed' : 'failed', messages: check.failures.map((f) => f.message), earned: check.earned });
    }
  }

  private applyRun(run: CheckRunView): void {
    for (const check of run.checks) {
      this.states.set(check.id, {
        status: check.passed ? 'passed' : 'failed',
        messages: check.assertions.filter((a) => !a.passed).map((a) => a.message),
        hint: check.hint,
        earned: check.points.earned,
      });
    }
  }

  private layoutBanner(): HTMLElement {
    const action = button(this.ctx.classroom ? 'Switch to a prepared session' : 'Start a fresh session for this lesson', () => {
      action.disabled = true;
      action.textContent = 'Preparing nodes…';
      void this.ctx.prepareSession(this.lesson).catch((error: Error) => {
        action.disabled = false;
        action.textContent = 'Try again';
        note.textContent = `Could not start it: ${error.message}`;
        note.classList.add('error');
      });
    }, { class: 'button primary small', 'data-action': 'prepare-session' });
    const note = h('p', { class: 'layout-note' }, `Your current nodes stay as they are until you switch; the new session replaces them.`);
    return h(
      'div',
      { class: 'layout-banner', role: 'note' },
      h('p', {}, 'This lesson runs on ', h('strong', {}, layoutLabel(this.lesson.template, this.lesson.swarm)), '. Your session has ', h('strong', {}, layoutLabel(this.ctx.session.template, this.ctx.session.swarm)), '.'),
      action,
      note,
    );
  }

  private stepPassed(step: LessonStepView): boolean {
    return step.checks.length > 0 && step.checks.every((c) => this.states.get(c.id)?.status === 'passed');
  }

  private stepFailed(step: LessonStepView): boolean {
    return step.checks.some((c) => this.states.get(c.id)?.status === 'failed');
  }

  go(step: number): void {
    if (step < 0 || step >= this.lesson.stepViews.length || step === this.step) return;
    this.step = step;
    this.render();
    this.ctx.stepChanged(this.lesson.id, step, this.fits);
  }

  get currentStep(): number {
    return this.step;
  }

  private render(scrollTop = true): void {
    this.renderProgress();
    this.renderStepList();
    this.renderStep(scrollTop);
    this.renderFooter();
  }

  private renderProgress(): void {
    const checks = this.lesson.stepViews.flatMap((s) => s.checks);
    const passed = checks.filter((c) => this.states.get(c.id)?.status === 'passed');
    const possible = checks.reduce((sum, c) => sum + c.points, 0);
    const earned = checks.reduce((sum, c) => sum + (this.states.get(c.id)?.earned ?? 0), 0);
    const pct = checks.length ? Math.round((passed.length / checks.length) * 100) : 0;
    this.progress.replaceChildren(
      h('div', { class: 'progress-bar', role: 'progressbar', 'aria-valuemin': '0', 'aria-valuemax': '100', 'aria-valuenow': String(pct) }, h('span', { style: `width:${pct}%` })),
      h('span', { class: 'progress-text' }, `${passed.length}/${checks.length} checks · ${earned}/${possible} pts · ${this.lesson.minutes} min`),
    );
  }

  private renderStepList(): void {
    this.stepList.replaceChildren(
      ...this.lesson.stepViews.map((step) => {
        const state = this.stepPassed(step) ? 'done' : this.stepFailed(step) ? 'failing' : '';
        const pill = button(this.stepPassed(step) ? '✓' : String(step.index + 1), () => this.go(step.index), {
          class: `step-pill ${state}${step.index === this.step ? ' current' : ''}`,
          title: `${step.index + 1}. ${step.title}`,
          'aria-label': `Step ${step.index + 1}: ${step.title}${state === 'done' ? ' (done)' : ''}`,
          'aria-current': step.index === this.step ? 'step' : undefined,
          'data-step': String(step.index),
        });
        return h('li', {}, pill);
      }),
    );
  }

  private renderStep(scrollTop: boolean): void {
    const step = this.lesson.stepViews[this.step];
    const body = h('div', { class: 'lesson-html step-body' });
    body.innerHTML = step.html; // rendered by the server's markdown-it with raw HTML off
    enhanceCodeBlocks(body, this.fits ? { run: (block) => lessonApi.run(this.ctx.creds, this.lesson.id, this.step, block), showNode: (node) => this.ctx.selectNode(node) } : null);
    let intro: HTMLElement | null = null;
    if (this.step === 0 && this.lesson.introHtml.trim()) {
      intro = h('div', { class: 'lesson-html lesson-intro' });
      intro.innerHTML = this.lesson.introHtml;
      enhanceCodeBlocks(intro, null);
    }
    const previous = this.scroller.scrollTop;
    this.scroller.replaceChildren(
      ...(intro ? [intro] : []),
      h('h3', { class: 'step-title' }, h('span', { class: 'step-number' }, `Step ${this.step + 1} of ${this.lesson.stepViews.length}`), step.title),
      body,
      this.checkSection(step),
    );
    this.scroller.scrollTop = scrollTop ? 0 : previous;
  }

  private checkSection(step: LessonStepView): HTMLElement {
    const passed = this.stepPassed(step);
    const section = h('section', { class: `check-section${passed ? ' passed' : this.stepFailed(step) ? ' failing' : ''}`, 'aria-label': 'Checks', 'data-step': String(step.index) });
    if (!step.checks.length) {
      section.append(h('p', { class: 'muted no-checks' }, 'Nothing to check in this step: read, try the commands, then go on.'));
      return section;
    }
    const checkButton = button(this.checking ? 'Checking…' : passed ? 'Check again' : 'Check', () => void this.check(), {
      class: `button ${passed ? '' : 'primary'} check-button`,
      'data-action': 'check',
      title: this.fits ? 'Read the cluster and check this step' : 'Switch to a session prepared for this lesson first',
    });
    checkButton.disabled = this.checking || !this.fits;
    section.append(
      h('header', { class: 'check-head' }, h('div', {}, h('strong', {}, passed ? 'Step complete' : 'Checks'), h('span', { class: 'muted' }, passed ? ' — all pass' : ' — read from your live cluster')), checkButton),
      renderChecks(step, this.states),
    );
    if (passed && this.step < this.lesson.stepViews.length - 1) section.append(button('Next step →', () => this.go(this.step + 1), { class: 'button primary next-inline' }));
    if (passed && this.step === this.lesson.stepViews.length - 1 && this.lesson.stepViews.every((s) => !s.checks.length || this.stepPassed(s))) {
      section.append(h('p', { class: 'lesson-done' }, '🎉 Lesson complete. Every check passes.'));
    }
    if (step.solutionHtml) {
      const solution = h('div', { class: 'lesson-html solution', hidden: '' });
      solution.innerHTML = step.solutionHtml;
      enhanceCodeBlocks(solution, null);
      const toggle = button('Show solution', () => {
        solution.hidden = !solution.hidden;
        toggle.textContent = solution.hidden ? 'Show solution' : 'Hide solution';
      }, { class: 'link-button solution-toggle' });
      section.append(toggle, solution);
    }
    return section;
  }

  private renderFooter(): void {
    const last = this.lesson.stepViews.length - 1;
    const prev = button('← Previous', () => this.go(this.step - 1), { class: 'button', 'data-action': 'prev' });
    prev.disabled = this.step === 0;
    const next = button(this.step === last ? 'Back to lessons' : 'Next →', () => (this.step === last ? this.ctx.back() : this.go(this.step + 1)), {
      class: `button ${this.stepPassed(this.lesson.stepViews[this.step]) ? 'primary' : ''}`,
      'data-action': 'next',
    });
    this.footer.replaceChildren(prev, h('span', { class: 'step-count' }, `${this.step + 1} / ${last + 1}`), next);
  }

  private async check(): Promise<void> {
    if (this.checking) return;
    this.checking = true;
    this.renderStep(false);
    const step = this.step;
    try {
      this.applyRun(await lessonApi.check(this.ctx.creds, this.lesson.id, step));
    } catch (error) {
      for (const c of this.lesson.stepViews[step].checks) this.states.set(c.id, { status: 'failed', messages: [`The check could not run: ${(error as Error).message}`], earned: 0 });
    } finally {
      this.checking = false;
      if (this.step === step) this.render(false);
      else this.renderStepList();
    }
  }
}
