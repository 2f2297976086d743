import { html, render } from 'lit-html';
import { t } from './i18n/i18n.js';

export interface ToastOptions {
  kind?: 'info' | 'error' | 'message' | 'success';
  title?: string;
  /** Milliseconds before it goes away; 0 keeps it until closed. */
  timeoutMs?: number;
}

const MAX_TOASTS = 4;

function stack(): HTMLElement {
  let el = document.getElementById('toasts');
  if (!el) {
    el = Object.assign(document.createElement('div'), { id: 'toasts', className: 'toasts' });
    el.setAttribute('aria-live', 'polite');
    document.body.append(el);
  }
  return el;
}

/** Stacked notifications in the bottom right corner; instructor messages stay until closed. */
export function showToast(text: string, options: ToastOptions = {}): HTMLElement {
  const kind = options.kind ?? 'info';
  const host = document.createElement('div');
  host.className = `toast-card ${kind}`;
  host.setAttribute('role', kind === 'error' ? 'alert' : 'status');
  const remove = () => host.remove();
  render(
    html`<div class="toast-body">${options.title ? html`<strong>${options.title}</strong>` : null}<span>${text}</span></div>
      <button type="button" class="toast-close" aria-label=${t('toast.dismiss')} @click=${remove}>×</button>`,
    host,
  );
  const toasts = stack();
  toasts.append(host);
  const timeout = options.timeoutMs ?? (kind === 'message' ? 0 : 4500);
  if (timeout > 0) window.setTimeout(remove, timeout);
  while (toasts.children.length > MAX_TOASTS) toasts.firstElementChild?.remove();
  return host;
}
