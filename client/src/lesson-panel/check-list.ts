import { html, nothing } from 'lit-html';
import { repeat } from 'lit-html/directives/repeat.js';
import type { LessonStepView } from '../../../shared/lesson-protocol.js';
import { t } from '../i18n/i18n.js';
import type { CheckState } from './types.js';

/** Turns `backticks` in a check message into code spans, leaving everything else as text. */
export function formatMessage(message: string) {
  const parts = message.split(/(`[^`]*`)/).map((part) => (part.length > 1 && part.startsWith('`') && part.endsWith('`') ? html`<code>${part.slice(1, -1)}</code>` : part));
  return html`<span class="assertion-message">${parts}</span>`;
}

const UNCHECKED: CheckState = { status: 'unchecked', messages: [], earned: 0 };

/**
 * One step's checks: a tick, a cross with every failed assertion's message, or a pending circle; hints on demand.
 * `openHints` holds the checks whose hint is shown; `toggleHint` flips one.
 */
export function checkList(step: LessonStepView, states: ReadonlyMap<string, CheckState>, openHints: ReadonlySet<string>, toggleHint: (id: string) => void) {
  return html`<ul class="checks">
    ${repeat(
      step.checks,
      (check) => check.id,
      (check) => {
        const state = states.get(check.id) ?? UNCHECKED;
        const hint = state.hint ?? check.hint;
        const hintOpen = openHints.has(check.id);
        const points = state.status === 'unchecked' ? t('checks.points', { count: check.points }) : t('checks.earned', { earned: state.earned, possible: check.points });
        return html`<li class="check ${state.status}" data-check=${check.id}>
          <span class="check-icon" aria-label=${t(`checks.status.${state.status}`)}>${state.status === 'passed' ? '✓' : state.status === 'failed' ? '✕' : ''}</span>
          <div class="check-body">
            <div class="check-title">
              <span>${check.title}</span>
              ${check.points ? html`<span class="check-points">${points}</span>` : nothing}
              ${hint && state.status !== 'passed'
                ? html`<button type="button" class="link-button" aria-expanded=${String(hintOpen)} @click=${() => toggleHint(check.id)}>${hintOpen ? t('checks.hideHint') : t('checks.hint')}</button>`
                : nothing}
            </div>
            ${state.status === 'failed' && state.messages.length ? html`<ul class="assertions">${state.messages.map((m) => html`<li>${formatMessage(m)}</li>`)}</ul>` : nothing}
            ${hint ? html`<p class="check-hint" ?hidden=${!hintOpen}><strong>${t('checks.hintLabel')}</strong> ${formatMessage(hint)}</p>` : nothing}
          </div>
        </li>`;
      },
    )}
  </ul>`;
}
