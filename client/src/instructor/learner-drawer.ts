import type { LearnerRow } from '../../../shared/classroom-protocol.js';
import { ClusterPoller } from '../cluster-view.js';
import { button, h } from '../dom.js';
import { TerminalPane } from '../terminal-pane.js';
import { instructorApi } from './instructor-api.js';

/** A side drawer with one learner's live cluster or a read-only view of their terminals. */
export class LearnerDrawer {
  private readonly element: HTMLElement;
  private readonly body: HTMLElement;
  private readonly title: HTMLElement;
  private cleanup: () => void = () => undefined;

  constructor(host: HTMLElement) {
    this.title = h('h2', {});
    this.body = h('div', { class: 'drawer-body' });
    const close = button('Close', () => this.close(), { class: 'button small' });
    this.element = h('aside', { class: 'drawer', hidden: '', 'aria-label': 'Learner details' }, h('header', { class: 'drawer-head' }, this.title, close), this.body);
    host.append(this.element);
    window.addEventListener('keydown', (event) => {
      if (event.key === 'Escape' && !this.element.hidden) this.close();
    });
  }

  close(): void {
    this.cleanup();
    this.cleanup = () => undefined;
    this.element.hidden = true;
    this.body.replaceChildren();
  }

  showCluster(learner: LearnerRow): void {
    this.close();
    this.title.textContent = `${learner.name}: cluster`;
    const view = h('div', { class: 'cluster-view' });
    this.body.replaceChildren(view);
    const poller = new ClusterPoller(view, async () => (await instructorApi.learnerCluster(learner.id)).cluster, 3000);
    poller.start();
    this.cleanup = () => poller.stop();
    this.element.hidden = false;
  }

  async showTerminal(learner: LearnerRow): Promise<void> {
    this.close();
    this.title.textContent = `${learner.name}: terminals (read-only)`;
    this.element.hidden = false;
    this.element.classList.add('wide');
    this.body.replaceChildren(h('p', { class: 'muted' }, 'Connecting…'));
    let nodes: string[];
    try {
      nodes = (await instructorApi.learnerCluster(learner.id)).session.nodes.map((n) => n.name);
    } catch (error) {
      this.body.replaceChildren(h('p', { class: 'error-text' }, (error as Error).message));
      return;
    }
    const host = h('div', { class: 'terminal-host watch-host' });
    const tabs = h('nav', { class: 'tabs', role: 'tablist' });
    this.body.replaceChildren(h('p', { class: 'muted watch-note' }, 'You see what the learner sees; nothing you type is sent.'), tabs, host);
    let pane: TerminalPane | undefined;
    const select = (node: string) => {
      pane?.dispose();
      for (const tab of tabs.children) tab.setAttribute('aria-selected', String((tab as HTMLElement).dataset.node === node));
      pane = new TerminalPane(node, {
        readonly: true,
        url: (query) => instructorApi.watchUrl(learner.id, node, query),
        sessionGone: async () => false,
        onState: (state) => tabs.querySelector(`[data-node="${node}"] .dot`)?.setAttribute('class', `dot ${state}`),
      });
      pane.element.classList.add('active');
      host.append(pane.element);
      pane.open();
    };
    for (const node of nodes) {
      const tab = h('button', { type: 'button', class: 'tab', role: 'tab', 'data-node': node }, h('span', { class: 'dot connecting' }), node);
      tab.onclick = () => select(node);
      tabs.append(tab);
    }
    if (nodes[0]) select(nodes[0]);
    this.cleanup = () => {
      pane?.dispose();
      this.element.classList.remove('wide');
    };
  }
}
