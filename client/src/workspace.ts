import type { LearnerMessage } from '../../shared/classroom-protocol.js';
import type { NodeStatusView, SessionView } from '../../shared/protocol.js';
import { ApiError, api } from './api.js';
import { byId } from './dom.js';
import { t } from './i18n/i18n.js';
import { mountLessonPanel } from './lesson-panel.js';
import { listenToSession } from './session-stream.js';
import type { Credentials, LearnerCredentials } from './storage.js';
import { showToast } from './toasts.js';
import { terminalUrl } from './urls.js';
import { NodeTerminals, type NodeBadge } from './workspace/node-terminals.js';
import { renderPortsBar } from './workspace/ports-bar.js';
import { renderSessionBar } from './workspace/session-bar.js';

const STATUS_POLL_MS = 5000;
const SESSION_POLL_MS = 30_000;

/** A classroom learner as the workspace knows them: their token and where the server last saw them. */
export interface LearnerContext {
  credentials: LearnerCredentials;
  lesson?: string;
  step: number;
}

export interface WorkspaceHooks {
  /** The page stops using this session (it ended, or is gone), with the reason in words. */
  ended(reason: string): void;
  /** Replaces this workspace with another session (a lesson's prepared session, or the instructor's reset). */
  switchTo(creds: Credentials, view: SessionView, learner?: LearnerContext): void;
}

/** An open session: node terminals, session bar, ports bar and lesson panel, kept current by polls and the session's stream. */
export class Workspace {
  private readonly terminals: NodeTerminals;
  private statuses = new Map<string, NodeStatusView>();
  private expiresAt: number;
  private ending = false;
  private readonly timers: number[] = [];
  private unmountLesson: () => void = () => undefined;
  private stopStream: () => void = () => undefined;
  private disposed = false;

  constructor(
    private readonly creds: Credentials,
    private view: SessionView,
    private readonly hooks: WorkspaceHooks,
    private readonly learner?: LearnerContext,
  ) {
    this.expiresAt = Date.parse(view.expiresAt);
    this.terminals = new NodeTerminals(byId('tabs'), byId('terminal-host'), {
      url: (node, query) => terminalUrl(this.creds, node, query),
      sessionGone: () => this.sessionGone(),
    });
  }

  mount(): void {
    this.terminals.onSelect(() => this.renderPorts());
    this.terminals.open(this.view.nodes.map((n) => n.name));
    this.renderBadges();
    this.renderSessionBar();
    this.timers.push(window.setInterval(() => this.renderSessionBar(), 1000));
    this.timers.push(window.setInterval(() => void this.pollStatus(), STATUS_POLL_MS));
    this.timers.push(window.setInterval(() => void this.pollSession(), SESSION_POLL_MS));
    void this.pollStatus();
    this.stopStream = listenToSession(this.creds, (message) => this.onStream(message));
    const learner = this.learner;
    this.unmountLesson = mountLessonPanel(byId('lesson-panel'), {
      creds: this.creds,
      lesson: this.view.lesson,
      session: { template: this.view.template, swarm: this.view.swarm },
      ...(learner ? { learner: { token: learner.credentials.token, lesson: learner.lesson, step: learner.step } } : {}),
      switchSession: (creds, view) => {
        if (learner) Object.assign(learner, { lesson: view.lesson ?? learner.lesson, step: 0 });
        this.hooks.switchTo(creds, view, learner);
      },
      selectNode: (node) => this.terminals.select(node),
    });
  }

  unmount(): void {
    this.disposed = true;
    this.stopStream();
    for (const timer of this.timers) clearInterval(timer);
    this.terminals.dispose();
    renderPortsBar(byId('ports-bar'), this.creds, '', []);
    this.unmountLesson();
  }

  /** Draws the workspace's own parts again in the active language (the lesson panel follows the language itself). */
  relabel(): void {
    if (this.disposed) return;
    this.renderSessionBar();
    this.renderPorts();
    this.terminals.relabel();
  }

  /** For the page's test hook. */
  get nodeTerminals(): NodeTerminals {
    return this.terminals;
  }

  /** Ends the page's use of this session once; late answers of an unmounted workspace are ignored. */
  private end(reason: string): void {
    if (this.disposed) return;
    this.hooks.ended(reason);
  }

  /** Messages from the server: the instructor's notes, and changes to this session made elsewhere. */
  private onStream(message: LearnerMessage): void {
    if (message.type === 'message') {
      showToast(message.text, { kind: 'message', title: t('workspace.instructorMessage') });
    } else if (message.type === 'session-extended') {
      this.expiresAt = Date.parse(message.expiresAt);
      this.renderSessionBar();
      showToast(t('workspace.extendedByInstructor'));
    } else if (message.type === 'session-reset') {
      const creds = { id: message.sessionId, token: this.creds.token };
      this.disposed = true;
      // A reset (or the learner's restart) starts the lesson over.
      if (this.learner) this.learner.step = 0;
      showToast(t('workspace.resetByInstructor'), { timeoutMs: 8000 });
      void api.get(creds).then(
        (view) => this.hooks.switchTo(creds, view, this.learner),
        () => this.hooks.ended(t('workspace.resetFailed')),
      );
    } else if (message.type === 'moved' && this.learner) {
      // Caught up to a step by the server (docs/classroom.md): the panel opens again there, on the same session.
      Object.assign(this.learner, { lesson: message.lesson, step: message.step });
      this.disposed = true;
      this.hooks.switchTo(this.creds, this.view, this.learner);
    } else if (message.type === 'solutions-revealed' && this.learner) {
      // The instructor revealed the hidden solutions: the panel opens again where the learner is, with them.
      showToast(t('workspace.solutionsRevealed'), { timeoutMs: 8000 });
      this.disposed = true;
      this.hooks.switchTo(this.creds, this.view, this.learner);
    } else if (message.type === 'session-ended') {
      this.end(t('workspace.sessionEnded'));
    }
  }

  private badge(node: string): NodeBadge {
    const view = this.view.nodes.find((n) => n.name === node);
    const status = this.statuses.get(node);
    if (view?.status === 'down' || status?.reachable === false) return 'down';
    if (status) return status.swarm.role;
    return this.view.swarm ? (view?.role ?? null) : null;
  }

  private renderBadges(): void {
    this.terminals.setBadges(new Map(this.terminals.names().map((node) => [node, this.badge(node)])));
  }

  private renderPorts(): void {
    const node = this.terminals.selectedNode;
    renderPortsBar(byId('ports-bar'), this.creds, node, this.statuses.get(node)?.ports ?? []);
  }

  private renderSessionBar(): void {
    renderSessionBar(byId('session-bar'), {
      sessionId: this.creds.id,
      leftMs: this.expiresAt - Date.now(),
      ending: this.ending,
      onExtend: () => void this.extend(),
      onEnd: () => void this.endSession(),
    });
  }

  private async pollStatus(): Promise<void> {
    try {
      const status = await api.status(this.creds);
      if (this.disposed) return;
      this.statuses = new Map(status.nodes.map((n) => [n.name, n]));
      this.renderBadges();
      this.renderPorts();
    } catch (error) {
      if (error instanceof ApiError && error.sessionGone) this.end(t('workspace.sessionGone'));
    }
  }

  private async pollSession(): Promise<void> {
    try {
      this.view = await api.get(this.creds);
      if (this.disposed) return;
      this.expiresAt = Date.parse(this.view.expiresAt);
      this.renderBadges();
    } catch (error) {
      if (error instanceof ApiError && error.sessionGone) this.end(t('workspace.sessionGone'));
    }
  }

  private async sessionGone(): Promise<boolean> {
    try {
      await api.get(this.creds);
      return false;
    } catch (error) {
      return error instanceof ApiError && error.sessionGone;
    }
  }

  private async extend(): Promise<void> {
    try {
      this.view = await api.extend(this.creds);
      this.expiresAt = Date.parse(this.view.expiresAt);
      this.renderSessionBar();
      showToast(t('workspace.extended'));
    } catch (error) {
      showToast(t('workspace.extendFailed', { message: (error as Error).message }), { kind: 'error' });
    }
  }

  private async endSession(): Promise<void> {
    if (!confirm(t('workspace.confirmEnd'))) return;
    this.ending = true;
    this.renderSessionBar();
    try {
      await api.end(this.creds);
      this.end(t('workspace.endedByYou'));
    } catch (error) {
      showToast(t('workspace.endFailed', { message: (error as Error).message }), { kind: 'error' });
    } finally {
      this.ending = false;
      if (!this.disposed) this.renderSessionBar();
    }
  }
}
