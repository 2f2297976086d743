import { html, nothing, render } from 'lit-html';
import { repeat } from 'lit-html/directives/repeat.js';
import type { ClusterNodeView, ClusterTaskView, ClusterView } from '../../shared/lesson-protocol.js';
import { clockTime } from './i18n/format.js';
import { t } from './i18n/i18n.js';

const TASK_ORDER = ['running', 'starting', 'preparing', 'assigned', 'accepted', 'pending', 'new', 'ready'];

function taskLabel(task: ClusterTaskView): string {
  return task.slot === undefined ? task.service : `${task.service}.${task.slot}`;
}

const withoutDigest = (image: string) => image.replace(/@sha256:[0-9a-f]+$/, '');

function stateClass(state: string | undefined): string {
  if (!state) return 'unknown';
  if (['running', 'ready', 'active'].includes(state)) return 'ok';
  if (['failed', 'rejected', 'down', 'orphaned', 'disconnected', 'unknown'].includes(state)) return 'bad';
  if (['shutdown', 'complete', 'remove'].includes(state)) return 'off';
  return 'busy';
}

function taskRow(task: ClusterTaskView) {
  return html`<li class="task ${stateClass(task.state)}" title=${task.error ?? t('cluster.taskTitle', { state: task.state, desired: task.desired })}>
    <span class="task-dot" aria-hidden="true"></span>
    <span class="task-name">${taskLabel(task)}</span>
    <span class="task-state">${task.state === task.desired || task.desired === 'running' ? task.state : `${task.state} → ${task.desired}`}</span>
    <span class="task-image">${withoutDigest(task.image)}</span>
  </li>`;
}

function nodeBadges(node: ClusterNodeView) {
  return html`${node.error
    ? html`<span class="badge down">${t('cluster.unreachable')}</span>`
    : node.swarm !== 'active'
      ? html`<span class="badge">${node.swarm === 'inactive' ? t('cluster.noSwarm') : node.swarm}</span>`
      : nothing}
  ${node.role ? html`<span class="badge ${node.leader ? 'leader' : node.role}">${node.leader ? t('cluster.leader') : t(`roles.${node.role}`)}</span>` : nothing}
  ${node.availability && node.availability !== 'active' ? html`<span class="badge avail-${node.availability}">${node.availability}</span>` : nothing}`;
}

function nodeCard(node: ClusterNodeView) {
  const tasks = node.tasks
    .filter((task) => task.desired !== 'shutdown' || task.state === 'running')
    .sort((a, b) => TASK_ORDER.indexOf(a.state) - TASK_ORDER.indexOf(b.state) || taskLabel(a).localeCompare(taskLabel(b), undefined, { numeric: true }));
  const stopped = node.tasks.length - tasks.length;
  return html`<article class="node-card ${node.error || node.state === 'down' ? 'is-down' : ''} ${node.availability === 'drain' ? 'is-drain' : ''}" data-node=${node.name}>
    <header><strong class="node-name">${node.name}</strong><span class="node-badges">${nodeBadges(node)}</span></header>
    ${node.error
      ? html`<div class="node-error">${node.error}</div>`
      : html`<div class="node-meta">
          <span class="state ${stateClass(node.state)}">${node.state ?? (node.swarm === 'active' ? t('cluster.unknown') : t('cluster.standalone'))}</span>
          ${node.availability ? html`<span class="avail ${node.availability}">${t('cluster.availability', { availability: node.availability })}</span>` : nothing}
        </div>`}
    ${tasks.length
      ? html`<ul class="tasks">${repeat(tasks, (task) => `${taskLabel(task)} ${task.state} ${task.desired}`, taskRow)}</ul>`
      : html`<p class="no-tasks">${node.swarm === 'active' ? t('cluster.noTasks') : ''}</p>`}
    ${stopped ? html`<p class="stopped-tasks">${t('cluster.stoppedHidden', { count: stopped })}</p>` : nothing}
  </article>`;
}

function serviceChip(service: ClusterView['services'][number]) {
  const desired = service.mode === 'global' ? undefined : service.replicas;
  const healthy = desired === undefined ? service.running > 0 : service.running === desired;
  return html`<div class="service-chip ${healthy ? 'ok' : 'busy'}" title="${service.mode} · ${service.image}">
    <strong>${service.name}</strong>
    <span>${desired === undefined ? t('cluster.runningGlobal', { running: service.running }) : `${service.running}/${desired}`}</span>
    <small>${withoutDigest(service.image)}</small>
  </div>`;
}

/** A cluster: services at the top, then one card per node with its tasks. */
export function clusterTemplate(view: ClusterView) {
  return html`${view.services.length
      ? html`<h3 class="cluster-heading">${t('cluster.services')}</h3>
          <div class="services">${repeat(view.services, (s) => s.name, serviceChip)}</div>`
      : nothing}
    <h3 class="cluster-heading">${t('cluster.nodes')}</h3>
    <div class="node-grid">${repeat(view.nodes, (n) => n.name, nodeCard)}</div>
    <p class="cluster-taken muted">${t('cluster.readAt', { time: clockTime(view.takenAt) })}</p>`;
}

/** Polls a cluster source every few seconds while started, never two requests at once; renders in place. */
export class ClusterPoller {
  private timer: number | undefined;
  private running = false;
  private busy = false;
  private shown = false;

  constructor(
    private readonly el: HTMLElement,
    private readonly load: () => Promise<ClusterView>,
    private readonly intervalMs = 3000,
  ) {}

  start(): void {
    if (this.running) return;
    this.running = true;
    if (!this.shown) render(html`<p class="muted cluster-loading">${t('cluster.loading')}</p>`, this.el);
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
      if (this.running) render(clusterTemplate(view), this.el);
    } catch (error) {
      if (this.running) render(html`<p class="cluster-error">${t('cluster.failed', { message: (error as Error).message })}</p>`, this.el);
    } finally {
      this.shown = true;
      this.busy = false;
      clearTimeout(this.timer);
      if (this.running) this.timer = window.setTimeout(() => void this.poll(), document.hidden ? this.intervalMs * 3 : this.intervalMs);
    }
  }
}
