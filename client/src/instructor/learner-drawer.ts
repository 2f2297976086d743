import { html, nothing, render } from 'lit-html';
import { repeat } from 'lit-html/directives/repeat.js';
import type { LearnerRow } from '../../../shared/classroom-protocol.js';
import { ClusterPoller } from '../cluster-view.js';
import { FocusTrap } from '../focus-trap.js';
import { t } from '../i18n/i18n.js';
import type { ConnectionState } from '../terminal-connection.js';
import { TerminalPane } from '../terminal-pane.js';
import { watchUrl } from '../urls.js';
import { instructorApi } from './instructor-api.js';

type Content =
  | { kind: 'closed' }
  | { kind: 'cluster'; learner: LearnerRow; view: HTMLElement; poller: ClusterPoller }
  | { kind: 'terminal'; learner: LearnerRow; nodes?: string[]; error?: string; selected?: string; states: Map<string, ConnectionState>; host: HTMLElement; pane?: TerminalPane };

/**
 * A side drawer with one learner's live cluster or a read-only view of their terminals. It lives inside the
 * dashboard's element (so it goes when the dashboard goes). While it is open it is a dialog that holds the
 * keyboard (focus-trap.ts): focus moves to it, Tab stays inside, Escape closes it and focus goes back to the
 * button that opened it.
 */
export class LearnerDrawer {
  readonly element: HTMLElement;
  private content: Content = { kind: 'closed' };
  private readonly trap: FocusTrap;

  constructor() {
    this.element = document.createElement('div');
    this.element.className = 'drawer';
    this.element.hidden = true;
    this.element.setAttribute('role', 'dialog');
    this.element.setAttribute('aria-modal', 'true');
    this.element.setAttribute('aria-label', t('drawer.label'));
    this.trap = new FocusTrap(this.element, () => this.close());
  }

  /** Closes the drawer; `restoreFocus` false when other content replaces it at once (its opener is the new one's). */
  close(restoreFocus = true): void {
    const content = this.content;
    if (content.kind === 'cluster') content.poller.stop();
    if (content.kind === 'terminal') content.pane?.dispose();
    this.content = { kind: 'closed' };
    this.draw();
    // After the content is gone, so focus lands back on the opener and not on anything of the drawer's.
    if (content.kind !== 'closed') this.trap.deactivate(restoreFocus);
  }

  showCluster(learner: LearnerRow): void {
    this.close(false);
    const view = document.createElement('div');
    view.className = 'cluster-view';
    const poller = new ClusterPoller(view, async () => (await instructorApi.learnerCluster(learner.id)).cluster, 3000);
    this.open({ kind: 'cluster', learner, view, poller });
    poller.start();
  }

  async showTerminal(learner: LearnerRow): Promise<void> {
    this.close(false);
    const host = document.createElement('div');
    host.className = 'terminal-host watch-host';
    const content: Extract<Content, { kind: 'terminal' }> = { kind: 'terminal', learner, states: new Map(), host };
    this.open(content);
    try {
      content.nodes = (await instructorApi.learnerCluster(learner.id)).session.nodes.map((n) => n.name);
    } catch (error) {
      content.error = (error as Error).message;
    }
    if (this.content !== content) return;
    if (content.nodes?.[0]) this.watch(content, content.nodes[0]);
    else this.draw();
  }

  private open(content: Exclude<Content, { kind: 'closed' }>): void {
    this.trap.activate();
    this.content = content;
    this.draw();
    this.trap.focusInside(this.element.querySelector<HTMLElement>('[data-action="close-drawer"]'));
  }

  private watch(content: Extract<Content, { kind: 'terminal' }>, node: string): void {
    content.pane?.dispose();
    content.selected = node;
    const pane = new TerminalPane(node, {
      readonly: true,
      url: (query) => watchUrl(content.learner.id, node, query),
      sessionGone: async () => false,
      onState: (state) => {
        content.states.set(node, state);
        if (this.content === content) this.draw();
      },
    });
    content.pane = pane;
    pane.element.classList.add('active');
    content.host.append(pane.element);
    this.draw();
    pane.open();
  }

  private draw(): void {
    const content = this.content;
    this.element.hidden = content.kind === 'closed';
    this.element.classList.toggle('wide', content.kind === 'terminal');
    render(
      content.kind === 'closed'
        ? nothing
        : html`<header class="drawer-head">
              <h2>${content.kind === 'cluster' ? t('drawer.clusterTitle', { name: content.learner.name }) : t('drawer.terminalTitle', { name: content.learner.name })}</h2>
              <button type="button" class="button small" data-action="close-drawer" @click=${() => this.close()}>${t('drawer.close')}</button>
            </header>
            <div class="drawer-body">${content.kind === 'cluster' ? content.view : this.terminalBody(content)}</div>`,
      this.element,
    );
  }

  private terminalBody(content: Extract<Content, { kind: 'terminal' }>) {
    if (content.error) return html`<p class="error-text">${content.error}</p>`;
    if (!content.nodes) return html`<p class="muted">${t('drawer.connecting')}</p>`;
    return html`<p class="muted watch-note">${t('drawer.watchNote')}</p>
      <nav class="tabs" role="tablist">
        ${repeat(
          content.nodes,
          (node) => node,
          (node) => html`<button type="button" class="tab" role="tab" data-node=${node} aria-selected=${String(node === content.selected)} @click=${() => this.watch(content, node)}>
            <span class="dot ${content.states.get(node) ?? 'connecting'}"></span>${node}
          </button>`,
        )}
      </nav>
      ${content.host}`;
  }
}
