import { h } from './dom.js';

export interface ToastOptions {
  kind?: 'info' | 'error' | 'message' | 'success';
  title?: string;
  /** Milliseconds before it goes away; 0 keeps it until closed. */
  timeoutMs?: number;
}

/** Stacked notifications in the bottom right corner; instructor messages stay until closed. */
export function showToast(text: string, options: ToastOptions = {}): HTMLElement {
  let stack = document.getElementById('toasts');
  if (!stack) {
    stack = h('div', { id: 'toasts', class: 'toasts', 'aria-live': 'polite' });
    document.body.append(stack);
  }
  const kind = options.kind ?? 'info';
  const close = h('button', { type: 'button', class: 'toast-close', 'aria-label': 'Dismiss' }, '×');
  const el = h('div', { class: `toast-card ${kind}`, role: kind === 'error' ? 'alert' : 'status' }, h('div', { class: 'toast-body' }, options.title ? h('strong', {}, options.title) : null, h('span', {}, text)), close);
  const remove = () => el.remove();
  close.onclick = remove;
  stack.append(el);
  const timeout = options.timeoutMs ?? (kind === 'message' ? 0 : 4500);
  if (timeout > 0) window.setTimeout(remove, timeout);
  while (stack.children.length > 4) stack.firstElementChild?.remove();
  return el;
}
