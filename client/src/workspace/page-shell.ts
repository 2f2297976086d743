import { html, render } from 'lit-html';
import type { TemplateName } from '../../../shared/protocol.js';
import { t } from '../i18n/i18n.js';
import { languageSwitch } from '../language-switch.js';
import { startForm } from './start-form.js';

export interface ShellState {
  view: 'loading' | 'start' | 'workspace';
  /** A classroom learner's name and event, shown next to the brand. */
  learner?: { name: string; event: string };
  start: { busy: boolean; message: string; error: boolean };
  onStart(template: TemplateName, swarm: boolean): void;
  /** Whether the terminals are in screen-reader mode, and how the switch changes it. */
  screenReader: boolean;
  onScreenReader(on: boolean): void;
}

/** The switch for the terminals' screen-reader mode: a native checkbox with a visible label. */
function screenReaderSwitch(state: ShellState) {
  const change = (event: Event) => state.onScreenReader((event.currentTarget as HTMLInputElement).checked);
  return html`<label class="screen-reader-switch" title=${t('terminal.screenReaderTitle')} ?hidden=${state.view !== 'workspace'}
    ><input type="checkbox" id="screen-reader" .checked=${state.screenReader} @change=${change} />${t('terminal.screenReader')}</label
  >`;
}

/**
 * The workspace page's frame: top bar, start view, and the workspace's fixed hosts (tabs, terminals, ports bar,
 * lesson panel) that the panels render into. Rendered again on every change; lit-html updates it in place, so the
 * hosts and what is typed in the start form stay (also when the language changes).
 */
export function renderShell(state: ShellState): void {
  document.title = t('page.workspaceTitle');
  render(
    html`<header class="topbar">
        <div class="brand">
          <span class="brand-mark" aria-hidden="true"></span>${t('page.brand')}
          <span id="learner-name" class="learner-name" ?hidden=${!state.learner}>${state.learner ? t('workspace.learnerLabel', state.learner) : ''}</span>
        </div>
        <div class="topbar-end">
          <div id="session-bar" class="session-bar" ?hidden=${state.view !== 'workspace'}></div>
          ${screenReaderSwitch(state)} ${languageSwitch()}
        </div>
      </header>
      <main id="start-view" class="start-view" ?hidden=${state.view !== 'start'}>${startForm(state.start, state.onStart)}</main>
      <main id="workspace" class="workspace" ?hidden=${state.view !== 'workspace'}>
        <section class="terminals">
          <nav id="tabs" class="tabs" role="tablist" aria-label=${t('workspace.nodes')}></nav>
          <div id="terminal-host" class="terminal-host"></div>
          <footer id="ports-bar" class="ports-bar"></footer>
        </section>
        <aside id="lesson-panel" class="lesson-panel" aria-label=${t('workspace.lessonPanel')}></aside>
      </main>`,
    document.body,
  );
}
