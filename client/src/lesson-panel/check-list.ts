import { html, nothing } from 'lit-html';
import { repeat } from 'lit-html/directives/repeat.js';
import type { LessonStepView } from '../../../shared/lesson-protocol.js';
import { number } from '../i18n/format.js';
import { activeLanguage, t } from '../i18n/i18n.js';
import { findingText } from './findings.js';
import type { CheckState } from './types.js';

/** Turns `backticks` in a check message into code spans, leaving everything else as text. */
export function formatMessage(message: string) {
  const parts = message.split(/(`[^`]*`)/).map((part) => (part.length > 1 && part.startsWith('`') && part.endsWith('`') ? html`<code>${part.slice(1, -1)}</code>` : part));
  return html`<span class="assertion-message">${parts}</span>`;
}

const UNCHECKED: CheckState = { status: 'unchecked', findings: [], earned: 0 };

/** A failed check's lines: why it could not run, or each finding in the reader's language. */
function failureLines(state: CheckState): string[] {
  if (state.error !== undefined) return [t('checks.couldNotRun', { message: state.error })];
  const language = activeLanguage();
  return state.findings.map((finding) => findingText(finding, language));
}

/**
 * One step's checks: a tick, a cross with every failed assertion's finding, or a pending circle; hints on demand.
 * Titles and hints come from the lesson as served in the reader's language (the same ids in every language).
 * `openHints` holds the checks whose hint is shown; `toggleHint` flips one.
 */
export function checkList(step: LessonStepView, states: ReadonlyMap<string, CheckState>, openHints: ReadonlySet<string>, toggleHint: (id: string) => void) {
  return html`<ul class="checks">
    ${repeat(
      step.checks,
      (check) => check.id,
      (check) => {
        const state = states.get(check.id) ?? UNCHECKED;
        const hint = check.hint ?? state.hint;
        const failures = state.status === 'failed' ? failureLines(state) : [];
        const hintOpen = openHints.has(check.id);
        const points = state.status === 'unchecked' ? t('checks.points', { count: check.points }) : t('checks.earned', { earned: number(state.earned), possible: number(check.points) });
        return html`<li class="check ${state.status}" data-check=${check.id}>
          <span class="check-icon" role="img" aria-label=${t(`checks.status.${state.status}`)}>${state.status === 'passed' ? '✓' : state.status === 'failed' ? '✕' : state.status === 'skipped' ? '↷' : ''}</span>
          <div class="check-body">
            <div class="check-title">
              <span>${check.title}</span>
              ${check.points ? html`<span class="check-points">${points}</span>` : nothing}
              ${hint && state.status !== 'passed' && state.status !== 'skipped'
                ? html`<button type="button" class="link-button" aria-expanded=${String(hintOpen)} @click=${() => toggleHint(check.id)}>${hintOpen ? t('checks.hideHint') : t('checks.hint')}</button>`
                : nothing}
            </div>
            ${failures.length ? html`<ul class="assertions">${failures.map((line) => html`<li>${formatMessage(line)}</li>`)}</ul>` : nothing}
            ${hint ? html`<p class="check-hint" ?hidden=${!hintOpen}><strong>${t('checks.hintLabel')}</strong> ${formatMessage(hint)}</p>` : nothing}
          </div>
        </li>`;
      },
    )}
  </ul>`;
}
