import type { SessionView, TemplateName } from '../../shared/protocol.js';
import { LearnerMeViewSchema } from '../../shared/view-schemas.js';
import { ApiError, api, call } from './api.js';
import { isLanguage } from './i18n/catalogues.js';
import { onLanguageChange, t, useClassLanguage } from './i18n/i18n.js';
import { learnerStore, screenReaderStore, sessionStore, type Credentials, type LearnerCredentials } from './storage.js';
import { Workspace, type LearnerContext } from './workspace.js';
import { renderShell, type ShellState } from './workspace/page-shell.js';

/** The workspace page: the start view, or an open session; a classroom learner is found again by their token. */
const shell: ShellState = {
  view: 'loading',
  start: { busy: false, message: '', error: false },
  onStart: (template, swarm) => void start(template, swarm),
  screenReader: screenReaderStore.load() ?? false,
  onScreenReader: (on) => {
    screenReaderStore.save(on);
    update({ screenReader: on });
    workspace?.nodeTerminals.setScreenReaderMode(on);
  },
};

function update(change: Partial<ShellState>): void {
  Object.assign(shell, change);
  renderShell(shell);
}

let workspace: Workspace | undefined;

function open(creds: Credentials, view: SessionView, learner?: LearnerContext): void {
  sessionStore.save(creds);
  update({ view: 'workspace' });
  workspace = new Workspace(creds, view, {
    ended: (reason) => {
      close();
      sessionStore.clear();
      showStart(learner ? t('workspace.endedLearner', { reason }) : reason);
    },
    switchTo: (nextCreds, nextView, nextLearner) => {
      close();
      open(nextCreds, nextView, nextLearner);
    },
  }, learner);
  workspace.mount();
}

function close(): void {
  workspace?.unmount();
  workspace = undefined;
}

function showStart(message = '', error = false): void {
  update({ view: 'start', start: { busy: false, message, error } });
}

async function start(template: TemplateName, swarm: boolean): Promise<void> {
  update({ start: { busy: true, message: t('start.starting'), error: false } });
  try {
    const created = await api.create(template, swarm);
    update({ start: { busy: false, message: '', error: false } });
    open({ id: created.id, token: created.token }, created);
  } catch (error) {
    showStart(t('start.failed', { message: (error as Error).message }), true);
  }
}

/** A classroom learner's way back in: their token finds their current session (docs: GET /api/learners/me). */
async function resumeLearner(stored: LearnerCredentials): Promise<boolean> {
  try {
    const me = await call(LearnerMeViewSchema, 'GET', '/api/learners/me', { token: stored.token });
    // The event's language may have been set or changed since joining: remember it for the next first render.
    const language = isLanguage(me.event.language) ? me.event.language : undefined;
    learnerStore.save({ ...stored, language });
    useClassLanguage(language);
    update({ learner: { name: me.learner.name, event: me.event.name } });
    if (!me.session) {
      showStart(t('workspace.classroomSessionEnded'));
      return true;
    }
    open({ id: me.session.id, token: stored.token }, me.session, { credentials: stored, lesson: me.learner.lesson, step: me.learner.step });
    return true;
  } catch (error) {
    if (error instanceof ApiError && (error.status === 401 || error.status === 403)) learnerStore.clear();
    return false;
  }
}

async function boot(): Promise<void> {
  renderShell(shell);
  const learner = learnerStore.load();
  if (learner && (await resumeLearner(learner))) return;
  const creds = sessionStore.load();
  if (!creds) return showStart();
  try {
    open(creds, await api.get(creds));
  } catch {
    sessionStore.clear();
    showStart(t('workspace.previousEnded'));
  }
}

/** A small hook for end-to-end tests (and the curious): read a terminal's text, switch tabs. */
declare global {
  interface Window {
    __workshop: {
      terminalText(node: string): string;
      selectMatch(node: string, pattern: string): string;
      terminalState(node: string): string | undefined;
      selectNode(node: string): void;
      session(): Credentials | null;
    };
  }
}
window.__workshop = {
  terminalText: (node) => workspace?.nodeTerminals.pane(node)?.text() ?? '',
  selectMatch: (node, pattern) => workspace?.nodeTerminals.pane(node)?.selectMatch(new RegExp(pattern)) ?? '',
  terminalState: (node) => workspace?.nodeTerminals.pane(node)?.state,
  selectNode: (node) => workspace?.nodeTerminals.select(node),
  session: () => sessionStore.load(),
};

onLanguageChange(() => {
  renderShell(shell);
  workspace?.relabel();
});

void boot();
