import { html, nothing, render } from 'lit-html';
import { repeat } from 'lit-html/directives/repeat.js';
import type { EngineView } from '../../../shared/classroom-protocol.js';
import { ApiError } from '../api.js';
import { clockTime, number } from '../i18n/format.js';
import { t } from '../i18n/i18n.js';
import { showToast } from '../toasts.js';
import { instructorApi } from './instructor-api.js';

/** How often the engines are read again: each read measures every engine, so not much more often than the pings. */
const REFRESH_MS = 10_000;

/**
 * The fleet's Docker engines on the dashboard: state, sessions and nodes placed, memory used of the limit and
 * load, with drain and undrain (a server's one engine, without a fleet, shows its load and cannot be drained).
 * Rows are keyed by engine and rendered in place, so a focused button stays focused across refreshes. A server
 * with no engine at all (the local provider) answers 404: the panel stays hidden and stops asking.
 */
export class EnginesPanel {
  readonly element: HTMLElement;
  private engines: EngineView[] = [];
  private error = '';
  private updatedAt: string | undefined;
  private readonly busy = new Set<string>();
  private timer: number | undefined;

  constructor() {
    this.element = document.createElement('section');
    this.element.className = 'engines-panel';
    this.element.hidden = true;
    this.element.setAttribute('aria-labelledby', 'engines-title');
    void this.refresh();
    this.timer = window.setInterval(() => void this.refresh(), REFRESH_MS);
  }

  dispose(): void {
    clearInterval(this.timer);
  }

  redraw(): void {
    this.render();
  }

  private async refresh(): Promise<void> {
    try {
      this.show(await instructorApi.engines());
    } catch (error) {
      if (error instanceof ApiError && error.status === 404) return this.dispose();
      this.error = t('fleet.loadFailed', { message: (error as Error).message });
      this.render();
    }
  }

  private show(engines: EngineView[]): void {
    this.engines = engines;
    this.error = '';
    this.updatedAt = new Date().toISOString();
    this.element.hidden = false;
    this.render();
  }

  private render(): void {
    const columns = ['name', 'state', 'sessions', 'nodes', 'memory', 'load', 'actions'] as const;
    render(
      html`<div class="table-head">
          <h3 id="engines-title">${t('fleet.title')}</h3>
          ${this.updatedAt ? html`<span class="muted table-summary">${t('fleet.updated', { at: clockTime(this.updatedAt) })}</span>` : nothing}
        </div>
        ${this.error ? html`<p class="error-text" role="alert">${this.error}</p>` : nothing}
        <div class="table-wrap">
          <table class="learners engines" aria-describedby="engines-caption">
            <caption id="engines-caption" class="sr-only">${t('fleet.caption')}</caption>
            <thead>
              <tr>${columns.map((c) => html`<th scope="col">${t(`fleet.columns.${c}`)}</th>`)}</tr>
            </thead>
            <tbody>
              ${repeat(this.engines, (engine) => engine.name, (engine) => this.row(engine))}
            </tbody>
          </table>
        </div>`,
      this.element,
    );
  }

  private row(engine: EngineView) {
    const drained = engine.state === 'draining';
    const action = drained ? 'undrain' : 'drain';
    return html`<tr data-engine=${engine.name} data-state=${engine.state}>
      <th scope="row">${engine.name}</th>
      <td>
        <span class="badge engine-state ${engine.state}" title=${t(`fleet.stateHint.${engine.state}`)}>${t(`fleet.state.${engine.state}`)}</span>
        ${engine.reason ? html`<div class="cell-sub muted">${engine.reason}</div>` : nothing}
      </td>
      <td class="num" data-col="sessions">${number(engine.sessions)}</td>
      <td class="num" data-col="nodes">${number(engine.nodes)}</td>
      <td class="num" data-col="memory">${t('fleet.memory', { used: number(engine.memoryUsedMb), limit: number(engine.memoryMb) })}</td>
      <td class="num load-cell" data-col="load">
        <span>${t('fleet.load', { percent: engine.loadPercent })}</span>
        <div class="mini-bar" aria-hidden="true"><span style="width:${engine.loadPercent}%"></span></div>
      </td>
      <td class="actions-cell">
        ${engine.canDrain ? html`<button type="button" class="button small" data-action=${action} aria-label=${t(`fleet.${action}Label`, { name: engine.name })} ?disabled=${this.busy.has(engine.name)} @click=${() => void this.act(engine.name, action)}>
          ${t(`fleet.${action}`)}
        </button>` : nothing}
      </td>
    </tr>`;
  }

  private async act(name: string, action: 'drain' | 'undrain'): Promise<void> {
    if (action === 'drain' && !confirm(t('fleet.confirmDrain', { name }))) return;
    this.busy.add(name);
    this.render();
    try {
      this.show(await instructorApi.engineAction(name, action));
    } catch (error) {
      showToast((error as Error).message, { kind: 'error' });
    } finally {
      this.busy.delete(name);
      this.render();
    }
  }
}
