import type { LearnerMessage } from '../../shared/classroom-protocol.js';
import type { NodeStatusView, SessionView, TemplateName } from '../../shared/protocol.js';
import { ApiError, api, call, portUrl, terminalUrl, type Credentials } from './api.js';
import { mountLessonPanel, type WorkspaceContext } from './lesson-panel.js';
import { clearLearner, loadLearner, type LearnerCredentials } from './learner-store.js';
import { listenToSession } from './session-stream.js';
import { clearCredentials, loadCredentials, saveCredentials } from './session-store.js';
import { showToast } from './toasts.js';
import type { ConnectionState } from './terminal-connection.js';
import { TerminalPane } from './terminal-pane.js';

const STATUS_POLL_MS = 5000;
const SESSION_POLL_MS = 30_000;

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;

function h<K extends keyof HTMLElementTagNameMap>(tag: K, props: Partial<Record<string, string>> = {}, ...children: Array<Node | string>): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) if (value !== undefined) el.setAttribute(key, value);
  el.append(...children);
  return el;
}

function toast(message: string, error = false): void {
  showToast(message, { kind: error ? 'error' : 'info' });
}

/** A classroom learner as the workspace knows them: their token and where the server last saw them. */
interface LearnerContext {
  credentials: LearnerCredentials;
  lesson?: string;
  step: number;
}

/** An open session: tabs, terminals, timer, ports, lesson panel. */
class Workspace {
  private readonly panes = new Map<string, TerminalPane>();
  private readonly tabs = new Map<string, HTMLButtonElement>();
  private statuses = new Map<string, NodeStatusView>();
  private selected = '';
  private expiresAt: number;
  private readonly timers: number[] = [];
  private readonly selectListeners = new Set<(name: string) => void>();
  private unmountLesson: () => void = () => undefined;
  private stopStream: () => void = () => undefined;
  private disposed = false;

  constructor(
    private readonly creds: Credentials,
    private view: SessionView,
    private readonly ended: (reason: string) => void,
    private readonly learner?: LearnerContext,
  ) {
    this.expiresAt = Date.parse(view.expiresAt);
  }

  /** Ends the page's use of this session once; late answers of an unmounted workspace are ignored. */
  private onEnded(reason: string): void {
    if (!this.disposed) this.ended(reason);
  }

  mount(): void {
    $('start-view').hidden = true;
    $('workspace').hidden = false;
    $('session-bar').hidden = false;
    $('session-id').textContent = this.creds.id;
    for (const node of this.view.nodes) this.addNode(node.name);
    this.select(this.view.nodes[0]?.name ?? '');
    this.renderBadges();
    this.tick();
    this.timers.push(window.setInterval(() => this.tick(), 1000));
    this.timers.push(window.setInterval(() => void this.pollStatus(), STATUS_POLL_MS));
    this.timers.push(window.setInterval(() => void this.pollSession(), SESSION_POLL_MS));
    void this.pollStatus();
    $('extend').onclick = () => void this.extend();
    $('end').onclick = () => void this.end();
    window.addEventListener('keydown', this.onKey, true);
    this.stopStream = listenToSession(this.creds, (message) => this.onStream(message));
    const ctx: WorkspaceContext = {
      sessionId: this.creds.id,
      token: this.creds.token,
      lesson: this.view.lesson,
      template: this.view.template,
      swarm: this.view.swarm,
      ...(this.learner ? { learner: { token: this.learner.credentials.token, lesson: this.learner.lesson, step: this.learner.step } } : {}),
      switchSession: (creds, view) => {
        if (this.learner) this.learner.lesson = view.lesson ?? this.learner.lesson;
        if (this.learner) this.learner.step = 0;
        switchTo(creds, view, this.learner);
      },
      nodes: () => [...this.panes.keys()],
      selectedNode: () => this.selected,
      selectNode: (name) => this.select(name),
      typeInto: (node, text) => this.panes.get(node)?.type(text),
      onNodeSelected: (listener) => (this.selectListeners.add(listener), () => this.selectListeners.delete(listener)),
    };
    this.unmountLesson = mountLessonPanel($('lesson-panel'), ctx);
  }

  unmount(): void {
    this.disposed = true;
    this.stopStream();
    for (const timer of this.timers) clearInterval(timer);
    window.removeEventListener('keydown', this.onKey, true);
    for (const pane of this.panes.values()) pane.dispose();
    this.panes.clear();
    this.tabs.clear();
    $('tabs').replaceChildren();
    $('ports-bar').replaceChildren();
    this.unmountLesson();
    $('workspace').hidden = true;
    $('session-bar').hidden = true;
  }

  /** Messages from the server: the instructor's notes, and changes to this session made elsewhere. */
  private onStream(message: LearnerMessage): void {
    if (message.type === 'message') {
      showToast(message.text, { kind: 'message', title: 'Message from your instructor' });
    } else if (message.type === 'session-extended') {
      this.expiresAt = Date.parse(message.expiresAt);
      this.tick();
      toast('Your instructor extended your session.');
    } else if (message.type === 'session-reset') {
      const creds = { id: message.sessionId, token: this.creds.token };
      this.disposed = true;
      showToast('Your instructor gave you a fresh session. Your progress is kept.', { kind: 'info', timeoutMs: 8000 });
      void api.get(creds).then(
        (view) => switchTo(creds, view, this.learner),
        () => this.ended('Your session was reset, but the new one could not be opened. Reload the page.'),
      );
    } else if (message.type === 'session-ended') {
      this.onEnded('Your session was ended.');
    }
  }

  pane(node: string): TerminalPane | undefined {
    return this.panes.get(node);
  }

  select(name: string): void {
    if (!this.panes.has(name)) return;
    this.selected = name;
    for (const [node, tab] of this.tabs) {
      tab.setAttribute('aria-selected', String(node === name));
      tab.tabIndex = node === name ? 0 : -1;
    }
    for (const [node, pane] of this.panes) pane.element.classList.toggle('active', node === name);
    const pane = this.panes.get(name)!;
    pane.refit();
    pane.focus();
    this.renderPorts();
    for (const listener of this.selectListeners) listener(name);
  }

  private addNode(name: string): void {
    const dot = h('span', { class: 'dot connecting', 'aria-hidden': 'true' });
    const badge = h('span', { class: 'badge', hidden: '' });
    const tab = h('button', { class: 'tab', role: 'tab', type: 'button', 'data-node': name, 'aria-selected': 'false' }, dot, h('span', { class: 'tab-name' }, name), badge);
    tab.onclick = () => this.select(name);
    tab.onkeydown = (event) => {
      if (event.key !== 'ArrowRight' && event.key !== 'ArrowLeft') return;
      const names = [...this.tabs.keys()];
      const next = names[(names.indexOf(name) + (event.key === 'ArrowRight' ? 1 : names.length - 1)) % names.length];
      this.select(next);
      this.tabs.get(next)?.focus();
    };
    $('tabs').append(tab);
    this.tabs.set(name, tab);
    const banner = h('div', { class: 'conn-banner', hidden: '' });
    const pane = new TerminalPane(name, {
      url: (query) => terminalUrl(this.creds, name, query),
      sessionGone: () => this.sessionGone(),
      onState: (state: ConnectionState) => {
        dot.className = `dot ${state}`;
        tab.title = `${name}: ${state}`;
        banner.hidden = state === 'connected';
        banner.className = state === 'ended' ? 'conn-banner ended' : 'conn-banner';
        banner.textContent = state === 'ended' ? 'disconnected' : state === 'connecting' ? 'connecting…' : 'reconnecting…';
      },
    });
    pane.element.append(banner);
    $('terminal-host').append(pane.element);
    this.panes.set(name, pane);
    pane.open();
  }

  private readonly onKey = (event: KeyboardEvent) => {
    // Alt+1…9 selects a node tab (caught before the terminal sees it).
    if (event.altKey && !event.ctrlKey && /^Digit[1-9]$/.test(event.code)) {
      const name = [...this.tabs.keys()][Number(event.code.slice(5)) - 1];
      if (name) {
        event.preventDefault();
        event.stopPropagation();
        this.select(name);
      }
    }
  };

  private role(name: string): string | null {
    const node = this.view.nodes.find((n) => n.name === name);
    const status = this.statuses.get(name);
    if (node?.status === 'down' || status?.reachable === false) return 'down';
    if (status) return status.swarm.role;
    return this.view.swarm ? (node?.role ?? null) : null;
  }

  private renderBadges(): void {
    for (const [name, tab] of this.tabs) {
      const badge = tab.querySelector<HTMLSpanElement>('.badge')!;
      const role = this.role(name);
      badge.hidden = !role;
      badge.className = `badge ${role ?? ''}`;
      badge.textContent = role ?? '';
    }
  }

  private renderPorts(): void {
    const bar = $('ports-bar');
    const node = this.selected;
    const ports = this.statuses.get(node)?.ports ?? [];
    const links = ports.map((p) =>
      h('a', { class: 'port-link', href: portUrl(this.creds, node, p.port), target: '_blank', rel: 'noopener', title: `${p.source} ${p.owner} → ${p.target ?? '?'}/${p.protocol}` }, String(p.port), h('small', {}, p.owner)),
    );
    const input = h('input', { type: 'number', min: '1', max: '65535', placeholder: 'port', 'aria-label': 'Port number' });
    const open = h('button', { class: 'button', type: 'submit' }, 'Open');
    const form = h('form', { class: 'open-port' }, input, open);
    form.onsubmit = (event) => {
      event.preventDefault();
      const port = Number(input.value);
      if (Number.isInteger(port) && port >= 1 && port <= 65535) window.open(portUrl(this.creds, node, port), '_blank', 'noopener');
    };
    bar.replaceChildren(h('span', { class: 'label' }, ports.length ? `Published on ${node}:` : `No published ports on ${node}`), ...links, form);
  }

  private tick(): void {
    const left = Math.max(0, this.expiresAt - Date.now());
    const minutes = Math.floor(left / 60_000);
    const seconds = Math.floor((left % 60_000) / 1000);
    const timer = $('timer');
    timer.textContent = `${minutes >= 60 ? `${Math.floor(minutes / 60)}h ${String(minutes % 60).padStart(2, '0')}` : minutes}:${String(seconds).padStart(2, '0')} left`;
    timer.className = left < 60_000 ? 'timer bad' : left < 5 * 60_000 ? 'timer warn' : 'timer';
  }

  private async pollStatus(): Promise<void> {
    try {
      const status = await api.status(this.creds);
      this.statuses = new Map(status.nodes.map((n) => [n.name, n]));
      this.renderBadges();
      this.renderPorts();
    } catch (error) {
      if (error instanceof ApiError && (error.status === 404 || error.status === 403)) this.onEnded('The session has ended.');
    }
  }

  private async pollSession(): Promise<void> {
    try {
      this.view = await api.get(this.creds);
      this.expiresAt = Date.parse(this.view.expiresAt);
      this.renderBadges();
    } catch (error) {
      if (error instanceof ApiError && (error.status === 404 || error.status === 403)) this.onEnded('The session has ended.');
    }
  }

  private async sessionGone(): Promise<boolean> {
    try {
      await api.get(this.creds);
      return false;
    } catch (error) {
      return error instanceof ApiError && (error.status === 404 || error.status === 403);
    }
  }

  private async extend(): Promise<void> {
    try {
      this.view = await api.extend(this.creds);
      this.expiresAt = Date.parse(this.view.expiresAt);
      this.tick();
      toast('Session extended.');
    } catch (error) {
      toast(`Could not extend: ${(error as Error).message}`, true);
    }
  }

  private async end(): Promise<void> {
    if (!confirm('End this session? Its nodes and everything on them are removed.')) return;
    const button = $<HTMLButtonElement>('end');
    button.disabled = true;
    try {
      await api.end(this.creds);
      this.onEnded('Session ended.');
    } catch (error) {
      toast(`Could not end the session: ${(error as Error).message}`, true);
    } finally {
      button.disabled = false;
    }
  }
}

let workspace: Workspace | undefined;

function open(creds: Credentials, view: SessionView, learner?: LearnerContext): void {
  saveCredentials(creds);
  workspace = new Workspace(creds, view, (reason) => {
    workspace?.unmount();
    workspace = undefined;
    clearCredentials();
    showStart(learner ? `${reason} Ask your instructor to reset it, or start a lab of your own below.` : reason);
  }, learner);
  workspace.mount();
}

/** Replaces the open workspace with another session (a lesson's prepared session, or the instructor's reset). */
function switchTo(creds: Credentials, view: SessionView, learner?: LearnerContext): void {
  workspace?.unmount();
  workspace = undefined;
  open(creds, view, learner);
}

/** A classroom learner's way back in: their token finds their current session (docs: GET /api/learners/me). */
async function resumeLearner(stored: LearnerCredentials): Promise<boolean> {
  try {
    const me = await call<{ learner: { id: string; name: string; lesson?: string; step: number }; event: { name: string }; session: SessionView | null }>('GET', '/api/learners/me', stored.token);
    const learner: LearnerContext = { credentials: stored, lesson: me.learner.lesson, step: me.learner.step };
    $('learner-name').textContent = `${me.learner.name} · ${me.event.name}`;
    $('learner-name').hidden = false;
    if (!me.session) {
      showStart('Your classroom session has ended. Ask your instructor to reset it, or start a lab of your own.');
      return true;
    }
    open({ id: me.session.id, token: stored.token }, me.session, learner);
    return true;
  } catch (error) {
    if (error instanceof ApiError && (error.status === 401 || error.status === 403)) clearLearner();
    return false;
  }
}

function showStart(message = ''): void {
  $('start-view').hidden = false;
  const status = $('start-status');
  status.textContent = message;
  status.className = 'start-status';
}

async function start(event: SubmitEvent): Promise<void> {
  event.preventDefault();
  const form = $<HTMLFormElement>('start-form');
  const template = (new FormData(form).get('template') ?? 'single') as TemplateName;
  const swarm = $<HTMLInputElement>('swarm-formed').checked;
  const button = $<HTMLButtonElement>('start');
  const status = $('start-status');
  button.disabled = true;
  status.className = 'start-status';
  status.textContent = 'Starting nodes… this takes a few seconds.';
  try {
    const created = await api.create(template, swarm);
    status.textContent = '';
    open({ id: created.id, token: created.token }, created);
  } catch (error) {
    status.className = 'start-status error';
    status.textContent = `Could not start: ${(error as Error).message}`;
  } finally {
    button.disabled = false;
  }
}

async function boot(): Promise<void> {
  $<HTMLFormElement>('start-form').addEventListener('submit', (event) => void start(event));
  const learner = loadLearner();
  if (learner && (await resumeLearner(learner))) return;
  const creds = loadCredentials();
  if (creds) {
    try {
      open(creds, await api.get(creds));
      return;
    } catch {
      clearCredentials();
      showStart('Your previous session has ended.');
      return;
    }
  }
  showStart();
}

/** A small hook for end-to-end tests (and the curious): read a terminal's text, switch tabs. */
declare global {
  interface Window {
    __workshop: { terminalText(node: string): string; selectMatch(node: string, pattern: string): string; terminalState(node: string): string | undefined; selectNode(node: string): void; session(): Credentials | null };
  }
}
window.__workshop = {
  terminalText: (node) => workspace?.pane(node)?.text() ?? '',
  selectMatch: (node, pattern) => workspace?.pane(node)?.selectMatch(new RegExp(pattern)) ?? '',
  terminalState: (node) => workspace?.pane(node)?.state,
  selectNode: (node) => workspace?.select(node),
  session: () => loadCredentials(),
};

void boot();
