import { html, nothing, render } from 'lit-html';
import type { LessonSummary, LessonView } from '../../shared/lesson-protocol.js';
import type { SessionView } from '../../shared/protocol.js';
import { TemplateNameSchema } from '../../shared/view-schemas.js';
import { ApiError, api } from './api.js';
import { ClusterPoller } from './cluster-view.js';
import { activeLanguage, onLanguageChange, t } from './i18n/i18n.js';
import { fitsSession } from './lesson-panel/layout.js';
import { lessonApi } from './lesson-panel/lesson-api.js';
import { lessonList } from './lesson-panel/lesson-list.js';
import { LessonPage, type PageMemory } from './lesson-panel/lesson-page.js';
import { positionStore, type Credentials, type Position } from './storage.js';

/** What the workspace gives the right-hand panel when it mounts it on `#lesson-panel`. */
export interface LessonPanelContext {
  creds: Credentials;
  /** Lesson id the session was started for, if any. */
  lesson?: string;
  /** The session's layout, to tell whether a lesson runs on it. */
  session: { template: string; swarm: boolean };
  /** Set for a classroom learner: their token and where the server last saw them. */
  learner?: { token: string; lesson?: string; step: number };
  selectNode(name: string): void;
  /** Replaces the open session with another one (this panel is unmounted and mounted again). */
  switchSession(creds: Credentials, view: SessionView): void;
}

/** Where to start: the classroom's record, then this browser's memory, then the session's own lesson. */
function initialPosition(ctx: LessonPanelContext): Position | null {
  if (ctx.learner?.lesson) return { lesson: ctx.learner.lesson, step: ctx.learner.step };
  const stored = positionStore.load();
  if (stored && (!ctx.lesson || stored.lesson === ctx.lesson)) return stored;
  return ctx.lesson ? { lesson: ctx.lesson, step: 0 } : null;
}

type Body = { kind: 'loading' } | { kind: 'error'; message: string; back: boolean } | { kind: 'list' } | { kind: 'page'; page: LessonPage };

const POSITION_REPORT_MS = 300;

/** The lesson panel: the lesson catalogue or one lesson, and a tab with the live cluster. Returns its unmount. */
export function mountLessonPanel(el: HTMLElement, ctx: LessonPanelContext): () => void {
  const clusterView = document.createElement('div');
  clusterView.className = 'cluster-view';
  const poller = new ClusterPoller(clusterView, () => lessonApi.cluster(ctx.creds), 3000);
  let tab: 'lesson' | 'cluster' = 'lesson';
  let body: Body = { kind: 'loading' };
  let lessons: LessonSummary[] = [];
  let disposed = false;
  let positionTimer: number | undefined;

  const showTab = (next: 'lesson' | 'cluster') => {
    tab = next;
    if (tab === 'cluster') poller.start();
    else poller.stop();
    draw();
  };

  const bodyTemplate = () => {
    switch (body.kind) {
      case 'loading': return html`<p class="muted panel-loading">${t('lessons.loading')}</p>`;
      case 'error': return html`<p class="error-text">${body.message}</p>${body.back ? html`<button type="button" class="link-button" @click=${showList}>${t('lesson.back')}</button>` : nothing}`;
      case 'list': return lessonList(lessons, ctx.session, (id) => void openLesson(id, 0));
      case 'page': return body.page.element;
    }
  };

  function draw(): void {
    if (disposed) return;
    render(
      html`<nav class="panel-tabs" role="tablist" aria-label=${t('panel.label')}>
          <button type="button" role="tab" class="panel-tab" aria-selected=${String(tab === 'lesson')} data-tab="lesson" @click=${() => showTab('lesson')}>${t('panel.lesson')}</button>
          <button type="button" role="tab" class="panel-tab" aria-selected=${String(tab === 'cluster')} data-tab="cluster" @click=${() => showTab('cluster')}>
            <span class="live-dot" aria-hidden="true"></span>${t('panel.cluster')}
          </button>
        </nav>
        <div class="panel-body lesson-host" role="tabpanel" ?hidden=${tab !== 'lesson'}>${bodyTemplate()}</div>
        <div class="panel-body cluster-host" role="tabpanel" ?hidden=${tab !== 'cluster'}>
          <p class="cluster-intro muted">${t('panel.clusterIntro')}</p>
          ${clusterView}
        </div>`,
      el,
    );
  }

  const reportPosition = (lesson: string, step: number) => {
    const learner = ctx.learner;
    if (!learner) return;
    clearTimeout(positionTimer);
    positionTimer = window.setTimeout(() => void lessonApi.position(learner.token, lesson, step).catch(() => undefined), POSITION_REPORT_MS);
  };

  function showList(): void {
    positionStore.clear();
    body = { kind: 'list' };
    draw();
  }

  async function prepareSession(lesson: LessonView): Promise<void> {
    let next: SessionView;
    let nextCreds: Credentials;
    if (ctx.learner) {
      const answer = await lessonApi.position(ctx.learner.token, lesson.id, 0);
      nextCreds = { id: answer.session?.id ?? ctx.creds.id, token: ctx.learner.token };
      next = answer.session ?? (await api.get(nextCreds));
    } else {
      const created = await api.create(TemplateNameSchema.parse(lesson.template), lesson.swarm, lesson.id);
      nextCreds = { id: created.id, token: created.token };
      next = created;
      void api.end(ctx.creds).catch(() => undefined);
    }
    positionStore.save({ lesson: lesson.id, step: 0 });
    ctx.switchSession(nextCreds, next);
  }

  async function openLesson(id: string, step: number): Promise<void> {
    body = { kind: 'loading' };
    draw();
    let lesson: LessonView;
    try {
      lesson = await lessonApi.get(id, activeLanguage(), ctx.creds);
    } catch (error) {
      body = { kind: 'error', message: t('lessons.loadFailed', { message: (error as Error).message }), back: true };
      return draw();
    }
    if (disposed) return;
    const page = showPage(lesson, step);
    positionStore.save({ lesson: id, step: page.currentStep });
    if (fitsSession(lesson, ctx.session) && ctx.learner && (ctx.learner.lesson !== id || ctx.learner.step !== page.currentStep)) reportPosition(id, page.currentStep);
    await page.loadProgress();
  }

  /** A classroom learner's revealed solutions by step; null while the instructor has not revealed them. */
  function revealedFor(token: string) {
    return async (lessonId: string, lang: string) => {
      try {
        const { steps } = await lessonApi.solutions(token, lessonId, lang);
        return new Map(steps.map((s) => [s.index, s.solutionHtml]));
      } catch (error) {
        if (error instanceof ApiError && (error.status === 403 || error.status === 404)) return null;
        throw error;
      }
    };
  }

  /** Restarting answers on the session stream (the workspace moves to the fresh session); skipping keeps the session. */
  function catchUpFor(token: string, lessonId: string) {
    return {
      skipTo: async (step: number) => {
        clearTimeout(positionTimer);
        await lessonApi.skip(token, step);
        positionStore.save({ lesson: lessonId, step });
      },
      restart: async () => {
        clearTimeout(positionTimer);
        positionStore.save({ lesson: lessonId, step: 0 });
        await lessonApi.restart(token);
      },
    };
  }

  /** A self-paced learner skips on their own session; there is no "restart" (the lesson list starts a fresh one). */
  function selfPacedCatchUp(lessonId: string) {
    return {
      skipTo: async (step: number) => {
        await lessonApi.skipInSession(ctx.creds, lessonId, step);
        positionStore.save({ lesson: lessonId, step });
      },
    };
  }

  function showPage(lesson: LessonView, step: number, memory?: PageMemory): LessonPage {
    const page = new LessonPage(lesson, {
      creds: ctx.creds,
      session: ctx.session,
      classroom: Boolean(ctx.learner),
      selectNode: (node) => ctx.selectNode(node),
      back: showList,
      prepareSession,
      stepChanged: (lessonId, s, fits) => {
        positionStore.save({ lesson: lessonId, step: s });
        if (fits) reportPosition(lessonId, s);
      },
      ...(ctx.learner ? { catchUp: catchUpFor(ctx.learner.token, lesson.id), revealedSolutions: revealedFor(ctx.learner.token) } : { catchUp: selfPacedCatchUp(lesson.id) }),
    }, step, memory);
    body = { kind: 'page', page };
    draw();
    return page;
  }

  /**
   * After a change of language: the panel's own words at once, then the lessons as served in the new language.
   * The open lesson comes back on the same step with everything checked so far (progress is per lesson, and
   * check ids are the same in every language); if it cannot be fetched, the page stays in the old language.
   */
  async function followLanguage(): Promise<void> {
    const language = activeLanguage();
    const current = () => !disposed && language === activeLanguage();
    draw();
    const open = body.kind === 'page' ? body.page : undefined;
    open?.redraw();
    const list = lessonApi.list(language).then((fetched) => {
      if (current()) lessons = fetched;
    }, () => undefined);
    if (open) {
      try {
        const lesson = await lessonApi.get(open.lessonId, language, ctx.creds);
        if (current() && body.kind === 'page' && body.page === open) await showPage(lesson, open.currentStep, open.memory).loadProgress();
      } catch {
        // keep the page as it was served
      }
    }
    await list;
    if (current()) draw();
  }
  const stopFollowingLanguage = onLanguageChange(() => void followLanguage());

  draw();
  void (async () => {
    try {
      lessons = await lessonApi.list(activeLanguage());
    } catch (error) {
      body = { kind: 'error', message: t('lessons.listFailed', { message: (error as Error).message }), back: false };
      return draw();
    }
    if (disposed) return;
    const start = initialPosition(ctx);
    if (start && lessons.some((l) => l.id === start.lesson)) await openLesson(start.lesson, start.step);
    else showList();
  })();

  return () => {
    disposed = true;
    stopFollowingLanguage();
    poller.stop();
    clearTimeout(positionTimer);
    render(nothing, el);
  };
}
