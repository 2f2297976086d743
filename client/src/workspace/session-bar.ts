import { html, render } from 'lit-html';
import { timeLeft } from '../i18n/format.js';
import { t } from '../i18n/i18n.js';

export interface SessionBarState {
  sessionId: string;
  /** Milliseconds until the session expires. */
  leftMs: number;
  ending: boolean;
  onExtend(): void;
  onEnd(): void;
}

/** The top bar's session part: id, the time left, Extend and End. */
export function renderSessionBar(el: HTMLElement, state: SessionBarState): void {
  const left = Math.max(0, state.leftMs);
  render(
    html`<span class="session-id" title=${t('session.idTitle')}>${t('session.label')} <code id="session-id">${state.sessionId}</code></span>
      <span id="timer" class="timer ${left < 60_000 ? 'bad' : left < 5 * 60_000 ? 'warn' : ''}" title=${t('session.timerTitle')}>${timeLeft(left)}</span>
      <button id="extend" type="button" class="button" @click=${state.onExtend}>${t('session.extend')}</button>
      <button id="end" type="button" class="button danger" ?disabled=${state.ending} @click=${state.onEnd}>${t('session.end')}</button>`,
    el,
  );
}
