import type { LessonStepView } from '../../../shared/lesson-protocol.js';
import { button, h } from '../dom.js';
import type { CheckState } from './types.js';

/** Turns `backticks` in a check message into code spans, leaving everything else as text. */
function formatMessage(message: string): HTMLElement {
  const el = h('span', { class: 'assertion-message' });
  message.split(/(`[^`]*`)/).forEach((part) => el.append(part.startsWith('`') && part.endsWith('`') && part.length > 1 ? h('code', {}, part.slice(1, -1)) : part));
  return el;
}

/** One step's checks: a tick, a cross with every failed assertion's message, or a pending circle; hints on demand. */
export function renderChecks(step: LessonStepView, states: ReadonlyMap<string, CheckState>): HTMLElement {
  const items = step.checks.map((check) => {
    const state = states.get(check.id) ?? { status: 'unchecked', messages: [], earned: 0 };
    const icon = state.status === 'passed' ? '✓' : state.status === 'failed' ? '✕' : '';
    const hint = state.hint ?? check.hint;
    const hintText = hint ? h('p', { class: 'check-hint', hidden: '' }, h('strong', {}, 'Hint: '), formatMessage(hint)) : null;
    const hintButton =
      hint && state.status !== 'passed'
        ? button('Hint', (event) => {
            hintText!.hidden = !hintText!.hidden;
            (event.currentTarget as HTMLButtonElement).textContent = hintText!.hidden ? 'Hint' : 'Hide hint';
          }, { class: 'link-button', 'aria-expanded': 'false' })
        : null;
    return h(
      'li',
      { class: `check ${state.status}`, 'data-check': check.id },
      h('span', { class: 'check-icon', 'aria-label': state.status }, icon),
      h(
        'div',
        { class: 'check-body' },
        h('div', { class: 'check-title' }, h('span', {}, check.title), check.points ? h('span', { class: 'check-points' }, state.status === 'unchecked' ? `${check.points} pt${check.points === 1 ? '' : 's'}` : `${state.earned}/${check.points}`) : null, hintButton),
        state.status === 'failed' && state.messages.length ? h('ul', { class: 'assertions' }, ...state.messages.map((m) => h('li', {}, formatMessage(m)))) : null,
        hintText,
      ),
    );
  });
  return h('ul', { class: 'checks' }, ...items);
}
