import { html, nothing, render } from 'lit-html';
import { repeat } from 'lit-html/directives/repeat.js';
import { t } from '../i18n/i18n.js';
import type { ConnectionState } from '../terminal-connection.js';
import { TerminalPane, type PaneOptions } from '../terminal-pane.js';

/** The element that says how to leave a terminal and switch nodes (in the ports bar). */
export const KEYS_HINT_ID = 'terminal-keys';

/** How soon after Escape a Tab still leaves the terminal. */
const ESCAPE_TAB_MS = 2000;

/** What a node's tab shows as its badge: its swarm role, or that it is down. */
export type NodeBadge = 'leader' | 'manager' | 'worker' | 'down' | null;

export interface NodeTerminalsOptions {
  url(node: string, query: Parameters<PaneOptions['url']>[0]): string;
  sessionGone(): Promise<boolean>;
}

/**
 * The node tabs and one terminal per node. The tabs are rendered with lit-html from the connection states and
 * badges; the terminals are TerminalPane instances placed once in the terminal host and only shown or hidden.
 */
export class NodeTerminals {
  private readonly panes = new Map<string, TerminalPane>();
  private readonly states = new Map<string, ConnectionState>();
  private badges = new Map<string, NodeBadge>();
  private selected = '';
  private readonly listeners = new Set<(node: string) => void>();

  constructor(
    private readonly tabs: HTMLElement,
    private readonly host: HTMLElement,
    private readonly options: NodeTerminalsOptions,
  ) {}

  open(nodes: readonly string[]): void {
    for (const node of nodes) {
      const pane = new TerminalPane(node, {
        url: (query) => this.options.url(node, query),
        sessionGone: () => this.options.sessionGone(),
        onState: (state) => {
          this.states.set(node, state);
          this.renderBanner(pane, state);
          this.renderTabs();
        },
      });
      this.renderBanner(pane, 'connecting');
      this.host.append(pane.element);
      this.panes.set(node, pane);
      pane.open();
      this.labelInput(node, pane);
    }
    window.addEventListener('keydown', this.onKey, true);
    this.select(nodes[0] ?? '');
  }

  dispose(): void {
    window.removeEventListener('keydown', this.onKey, true);
    for (const pane of this.panes.values()) pane.dispose();
    this.panes.clear();
    this.listeners.clear();
    render(nothing, this.tabs);
  }

  names(): string[] {
    return [...this.panes.keys()];
  }

  pane(node: string): TerminalPane | undefined {
    return this.panes.get(node);
  }

  get selectedNode(): string {
    return this.selected;
  }

  /** Calls back whenever the selected node changes; returns an unsubscribe function. */
  onSelect(listener: (node: string) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Every terminal in or out of screen-reader mode (the switch in the top bar). */
  setScreenReaderMode(on: boolean): void {
    for (const pane of this.panes.values()) pane.setScreenReaderMode(on);
  }

  setBadges(badges: Map<string, NodeBadge>): void {
    this.badges = badges;
    this.renderTabs();
  }

  select(node: string): void {
    const pane = this.panes.get(node);
    if (!pane) return;
    this.selected = node;
    for (const [name, other] of this.panes) other.element.classList.toggle('active', name === node);
    this.renderTabs();
    pane.refit();
    pane.focus();
    for (const listener of this.listeners) listener(node);
  }

  /** Draws the tabs and connection banners again (after a change of language). */
  relabel(): void {
    for (const [node, pane] of this.panes) {
      this.renderBanner(pane, this.states.get(node) ?? 'connecting');
      this.labelInput(node, pane);
    }
    this.renderTabs();
  }

  /** xterm.js's input (a hidden textarea) named for its node in the page's language, described by the keys hint. */
  private labelInput(node: string, pane: TerminalPane): void {
    pane.term.textarea?.setAttribute('aria-label', t('terminal.inputLabel', { node }));
    pane.term.textarea?.setAttribute('aria-describedby', KEYS_HINT_ID);
  }

  private renderBanner(pane: TerminalPane, state: ConnectionState): void {
    render(html`<div class="conn-banner ${state === 'ended' ? 'ended' : ''}" ?hidden=${state === 'connected'}>${t(`terminal.state.${state}`)}</div>`, pane.element);
  }

  private renderTabs(): void {
    const names = this.names();
    const step = (event: KeyboardEvent, node: string) => {
      if (event.key !== 'ArrowRight' && event.key !== 'ArrowLeft') return;
      const next = names[(names.indexOf(node) + (event.key === 'ArrowRight' ? 1 : names.length - 1)) % names.length];
      this.select(next);
      this.tabs.querySelector<HTMLElement>(`.tab[data-node="${next}"]`)?.focus();
    };
    render(
      repeat(
        names,
        (node) => node,
        (node) => {
          const state = this.states.get(node) ?? 'connecting';
          const badge = this.badges.get(node) ?? null;
          return html`<button
            class="tab"
            role="tab"
            type="button"
            data-node=${node}
            aria-selected=${String(node === this.selected)}
            tabindex=${node === this.selected ? 0 : -1}
            title=${t('terminal.tabTitle', { node, state: t(`terminal.state.${state}`) })}
            @click=${() => this.select(node)}
            @keydown=${(event: KeyboardEvent) => step(event, node)}
          >
            <span class="dot ${state}" aria-hidden="true"></span><span class="tab-name">${node}</span
            ><span class="badge ${badge ?? ''}" ?hidden=${!badge}>${badge ? t(`roles.${badge}`) : ''}</span>
          </button>`;
        },
      ),
      this.tabs,
    );
  }

  /** When Escape was last pressed in a terminal: Tab right after it leaves the terminal. */
  private escapedAt = 0;

  /**
   * Keys caught before the terminal sees them. Alt+1…9 selects a node tab. A terminal keeps Tab for the shell's
   * completion, so Escape then Tab (as in CodeMirror) moves the focus on instead: without it the keyboard is trapped.
   */
  private readonly onKey = (event: KeyboardEvent) => {
    const inTerminal = event.target instanceof Element && this.host.contains(event.target);
    if (inTerminal && event.key === 'Tab' && !event.ctrlKey && !event.altKey && !event.metaKey && Date.now() - this.escapedAt < ESCAPE_TAB_MS) {
      // Not prevented: the browser moves the focus; stopped: xterm.js never sees this Tab.
      this.escapedAt = 0;
      event.stopPropagation();
      return;
    }
    this.escapedAt = inTerminal && event.key === 'Escape' ? Date.now() : 0;
    if (!event.altKey || event.ctrlKey || !/^Digit[1-9]$/.test(event.code)) return;
    const node = this.names()[Number(event.code.slice(5)) - 1];
    if (!node) return;
    event.preventDefault();
    event.stopPropagation();
    this.select(node);
  };
}
