import type { ClusterNodeView, ClusterTaskView, ClusterView } from '../../shared/lesson-protocol.js';
import { h } from './dom.js';

const TASK_ORDER = ['running', 'starting', 'preparing', 'assigned', 'accepted', 'pending', 'new', 'ready'];

function taskLabel(task: ClusterTaskView): string {
  return task.slot === undefined ? task.service : `${task.service}.${task.slot}`;
}

function stateClass(state: string | undefined): string {
  if (!state) return 'unknown';
  if (['running', 'ready', 'active'].includes(state)) return 'ok';
  if (['failed', 'rejected', 'down', 'orphaned', 'disconnected', 'unknown'].includes(state)) return 'bad';
  if (['shutdown', 'complete', 'remove'].includes(state)) return 'off';
  return 'busy';
}

function taskRow(task: ClusterTaskView): HTMLElement {
  return h(
    'li',
    { class: `task ${stateClass(task.state)}`, title: task.error ?? `${task.state} (desired ${task.desired})` },
    h('span', { class: 'task-dot', 'aria-hidden': 'true' }),
    h('span', { class: 'task-name' }, taskLabel(task)),
    h('span', { class: 'task-state' }, task.state === task.desired || task.desired === 'running' ? task.state : `${task.state} → ${task.desired}`),
    h('span', { class: 'task-image' }, task.image.replace(/@sha256:[0-9a-f]+$/, '')),
  );
}

function nodeCard(node: ClusterNodeView): HTMLElement {
  const badges: HTMLElement[] = [];
  if (node.error) badges.push(h('span', { class: 'badge down' }, 'unreachable'));
  else if (node.swarm !== 'active') badges.push(h('span', { class: 'badge' }, node.swarm === 'inactive' ? 'no swarm' : node.swarm));
  if (node.role) badges.push(h('span', { class: `badge ${node.leader ? 'leader' : node.role}` }, node.leader ? '★ leader' : node.role));
  if (node.availability && node.availability !== 'active') badges.push(h('span', { class: `badge avail-${node.availability}` }, node.availability));
  const tasks = node.tasks
    .filter((t) => t.desired !== 'shutdown' || t.state === 'running')
    .sort((a, b) => TASK_ORDER.indexOf(a.state) - TASK_ORDER.indexOf(b.state) || taskLabel(a).localeCompare(taskLabel(b), undefined, { numeric: true }));
  const stopped = node.tasks.length - tasks.length;
  const meta = node.error
    ? h('div', { class: 'node-error' }, node.error)
    : h(
        'div',
        { class: 'node-meta' },
        h('span', { class: `state ${stateClass(node.state)}` }, node.state ?? (node.swarm === 'active' ? 'unknown' : 'standalone engine')),
        node.availability ? h('span', { class: `avail ${node.availability}` }, `availability: ${node.availability}`) : null,
      );
  return h(
    'article',
    { class: `node-card${node.error || node.state === 'down' ? ' is-down' : ''}${node.availability === 'drain' ? ' is-drain' : ''}`, 'data-node': node.name },
    h('header', {}, h('strong', { class: 'node-name' }, node.name), h('span', { class: 'node-badges' }, ...badges)),
    meta,
    tasks.length
      ? h('ul', { class: 'tasks' }, ...tasks.map(taskRow))
      : h('p', { class: 'no-tasks' }, node.swarm === 'active' ? 'no tasks' : ''),
    stopped ? h('p', { class: 'stopped-tasks' }, `${stopped} stopped task${stopped === 1 ? '' : 's'} hidden`) : null,
  );
}

/** Renders a cluster: services at the top, then one card per node with its tasks. */
export function renderCluster(el: HTMLElement, view: ClusterView): void {
  const services = view.services.length
    ? h(
        'div',
        { class: 'services' },
        ...view.services.map((s) => {
          const desired = s.mode === 'global' ? undefined : s.replicas;
          const healthy = desired === undefined ? s.running > 0 : s.running === desired;
          return h(
            'div',
            { class: `service-chip ${healthy ? 'ok' : 'busy'}`, title: `${s.mode} · ${s.image}` },
            h('strong', {}, s.name),
            h('span', {}, desired === undefined ? `${s.running} running (global)` : `${s.running}/${desired}`),
            h('small', {}, s.image.replace(/@sha256:[0-9a-f]+$/, '')),
          );
        }),
      )
    : null;
  el.replaceChildren(
    ...(services ? [h('h3', { class: 'cluster-heading' }, 'Services'), services] : []),
    h('h3', { class: 'cluster-heading' }, 'Nodes'),
    h('div', { class: 'node-grid' }, ...view.nodes.map(nodeCard)),
    h('p', { class: 'cluster-taken muted' }, `Read at ${new Date(view.takenAt).toLocaleTimeString()}`),
  );
}

/** Polls a cluster source every few seconds while started, never two requests at once. */
export class ClusterPoller {
  private timer: number | undefined;
  private running = false;
  private busy = false;

  constructor(
    private readonly el: HTMLElement,
    private readonly load: () => Promise<ClusterView>,
    private readonly intervalMs = 3000,
    private readonly onError: (error: Error) => void = () => undefined,
  ) {}

  start(): void {
    if (this.running) return;
    this.running = true;
    if (!this.el.childElementCount) this.el.replaceChildren(h('p', { class: 'muted cluster-loading' }, 'Reading the cluster…'));
    void this.poll();
  }

  stop(): void {
    this.running = false;
    clearTimeout(this.timer);
  }

  private async poll(): Promise<void> {
    if (!this.running || this.busy) return;
    this.busy = true;
    try {
      const view = await this.load();
      if (this.running) renderCluster(this.el, view);
    } catch (error) {
      this.onError(error as Error);
      if (this.running) this.el.replaceChildren(h('p', { class: 'cluster-error' }, `Could not read the cluster: ${(error as Error).message}`));
    } finally {
      this.busy = false;
      clearTimeout(this.timer);
      if (this.running) this.timer = window.setTimeout(() => void this.poll(), document.hidden ? this.intervalMs * 3 : this.intervalMs);
    }
  }
}
