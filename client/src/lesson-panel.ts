import type { LessonSummary, LessonView } from '../../shared/lesson-protocol.js';
import type { CreatedSessionView, SessionView } from '../../shared/protocol.js';
import { api, type Credentials } from './api.js';
import { ClusterPoller } from './cluster-view.js';
import { button, h } from './dom.js';
import { fitsSession } from './lesson-panel/layout.js';
import { lessonApi } from './lesson-panel/lesson-api.js';
import { renderLessonList } from './lesson-panel/lesson-list.js';
import { LessonPage } from './lesson-panel/lesson-page.js';

/**
 * The right-hand lesson panel's mount point. The workspace calls
 * `mountLessonPanel` once a session is open, with the element `#lesson-panel`
 * and a context; it returns a function that unmounts the panel (called when
 * the session ends or is replaced).
 */
export interface WorkspaceContext {
  sessionId: string;
  token: string;
  /** Lesson id the session was started for, if any. */
  lesson?: string;
  /** The session's layout, to tell whether a lesson runs on it. */
  template: string;
  swarm: boolean;
  /** Set for a classroom learner: their token and where the server last saw them. */
  learner?: { token: string; lesson?: string; step: number };
  nodes(): string[];
  selectedNode(): string;
  selectNode(name: string): void;
  /** Types text into a node's terminal as if the learner had (the server still decides what runs). */
  typeInto(node: string, text: string): void;
  /** Calls back whenever the selected node changes; returns an unsubscribe function. */
  onNodeSelected(listener: (name: string) => void): () => void;
  /** Replaces the open session with another one (this panel is unmounted and mounted again). */
  switchSession(creds: Credentials, view: SessionView): void;
}

const POSITION_KEY = 'swarm-workshop.position';

interface Position {
  lesson: string;
  step: number;
}

function loadPosition(): Position | null {
  try {
    const stored = JSON.parse(localStorage.getItem(POSITION_KEY) ?? 'null') as Position | null;
    return stored && typeof stored.lesson === 'string' && Number.isInteger(stored.step) ? stored : null;
  } catch {
    return null;
  }
}

function savePosition(position: Position | null): void {
  if (position) localStorage.setItem(POSITION_KEY, JSON.stringify(position));
  else localStorage.removeItem(POSITION_KEY);
}

/** Where to start: the classroom's record, then this browser's memory, then the session's own lesson. */
function initialPosition(ctx: WorkspaceContext): Position | null {
  if (ctx.learner?.lesson) return { lesson: ctx.learner.lesson, step: ctx.learner.step };
  const stored = loadPosition();
  if (stored && (!ctx.lesson || stored.lesson === ctx.lesson)) return stored;
  return ctx.lesson ? { lesson: ctx.lesson, step: 0 } : null;
}

export function mountLessonPanel(el: HTMLElement, ctx: WorkspaceContext): () => void {
  const creds: Credentials = { id: ctx.sessionId, token: ctx.token };
  const session = { template: ctx.template, swarm: ctx.swarm };
  const lessonTab = h('button', { type: 'button', role: 'tab', class: 'panel-tab', 'aria-selected': 'true', 'data-tab': 'lesson' }, 'Lesson');
  const clusterTab = h('button', { type: 'button', role: 'tab', class: 'panel-tab', 'aria-selected': 'false', 'data-tab': 'cluster' }, h('span', { class: 'live-dot', 'aria-hidden': 'true' }), 'Cluster');
  const lessonHost = h('div', { class: 'panel-body lesson-host', role: 'tabpanel' });
  const clusterHost = h('div', { class: 'panel-body cluster-host', role: 'tabpanel', hidden: '' });
  const clusterView = h('div', { class: 'cluster-view' });
  clusterHost.append(h('p', { class: 'cluster-intro muted' }, 'Live view of your nodes and the tasks on them, read every 3 seconds. Watch replicas move while you drain a node or update a service.'), clusterView);
  const poller = new ClusterPoller(clusterView, () => lessonApi.cluster(creds), 3000);
  el.replaceChildren(h('nav', { class: 'panel-tabs', role: 'tablist', 'aria-label': 'Panel' }, lessonTab, clusterTab), lessonHost, clusterHost);

  const showTab = (tab: 'lesson' | 'cluster') => {
    lessonTab.setAttribute('aria-selected', String(tab === 'lesson'));
    clusterTab.setAttribute('aria-selected', String(tab === 'cluster'));
    lessonHost.hidden = tab !== 'lesson';
    clusterHost.hidden = tab !== 'cluster';
    if (tab === 'cluster') poller.start();
    else poller.stop();
  };
  lessonTab.onclick = () => showTab('lesson');
  clusterTab.onclick = () => showTab('cluster');

  let lessons: LessonSummary[] = [];
  let page: LessonPage | undefined;
  let disposed = false;
  let positionTimer: number | undefined;

  const reportPosition = (lesson: string, step: number) => {
    const learner = ctx.learner;
    if (!learner) return;
    clearTimeout(positionTimer);
    positionTimer = window.setTimeout(() => void lessonApi.position(learner.token, lesson, step).catch(() => undefined), 300);
  };

  const showList = () => {
    page = undefined;
    savePosition(null);
    renderLessonList(lessonHost, lessons, session, (id) => void openLesson(id, 0));
  };

  async function prepareSession(lesson: LessonView): Promise<void> {
    let next: CreatedSessionView | SessionView;
    let nextCreds: Credentials;
    if (ctx.learner) {
      const answer = await lessonApi.position(ctx.learner.token, lesson.id, 0);
      nextCreds = { id: answer.session?.id ?? ctx.sessionId, token: ctx.learner.token };
      next = answer.session ?? (await api.get(nextCreds));
    } else {
      next = await api.createFor(lesson.template as 'single', lesson.swarm, lesson.id);
      nextCreds = { id: next.id, token: (next as CreatedSessionView).token };
      void api.end(creds).catch(() => undefined);
    }
    savePosition({ lesson: lesson.id, step: 0 });
    ctx.switchSession(nextCreds, next);
  }

  async function openLesson(id: string, step: number): Promise<void> {
    lessonHost.replaceChildren(h('p', { class: 'muted panel-loading' }, 'Loading the lesson…'));
    let lesson: LessonView;
    try {
      lesson = await lessonApi.get(id);
    } catch (error) {
      if (!disposed) lessonHost.replaceChildren(h('p', { class: 'error-text' }, `Could not load the lesson: ${(error as Error).message}`), button('← Lessons', showList, { class: 'link-button' }));
      return;
    }
    if (disposed) return;
    page = new LessonPage(lesson, {
      creds,
      session,
      classroom: Boolean(ctx.learner),
      selectNode: (node) => ctx.selectNode(node),
      back: showList,
      prepareSession,
      stepChanged: (lessonId, s, fits) => {
        savePosition({ lesson: lessonId, step: s });
        if (fits) reportPosition(lessonId, s);
      },
    }, step);
    lessonHost.replaceChildren(page.element);
    savePosition({ lesson: id, step: page.currentStep });
    if (fitsSession(lesson, session) && ctx.learner && (ctx.learner.lesson !== id || ctx.learner.step !== page.currentStep)) reportPosition(id, page.currentStep);
    await page.loadProgress();
  }

  void (async () => {
    try {
      lessons = await lessonApi.list();
    } catch (error) {
      lessonHost.replaceChildren(h('p', { class: 'error-text' }, `Could not load the lessons: ${(error as Error).message}`));
      return;
    }
    if (disposed) return;
    const start = initialPosition(ctx);
    if (start && lessons.some((l) => l.id === start.lesson)) await openLesson(start.lesson, start.step);
    else showList();
  })();

  return () => {
    disposed = true;
    poller.stop();
    clearTimeout(positionTimer);
    el.replaceChildren();
  };
}
