/** Tiny DOM helpers shared by the pages: no framework, text always set as text. */
type Child = Node | string | null | undefined | false;

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, props: Record<string, string | undefined> = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) if (value !== undefined) el.setAttribute(key, value);
  for (const child of children) if (child !== null && child !== undefined && child !== false) el.append(child);
  return el;
}

export function button(label: Child | Child[], onClick: (event: MouseEvent) => void, props: Record<string, string | undefined> = {}): HTMLButtonElement {
  const el = h('button', { type: 'button', class: 'button', ...props }, ...(Array.isArray(label) ? label : [label]));
  el.addEventListener('click', onClick);
  return el;
}

/** "3 min", "1 h 05", "just now": short durations for tables. */
export function duration(ms: number): string {
  const minutes = Math.floor(ms / 60_000);
  if (minutes < 1) return `${Math.max(0, Math.floor(ms / 1000))} s`;
  if (minutes < 60) return `${minutes} min`;
  return `${Math.floor(minutes / 60)} h ${String(minutes % 60).padStart(2, '0')}`;
}

export function ago(iso: string, now = Date.now()): string {
  const ms = now - Date.parse(iso);
  if (!Number.isFinite(ms)) return '—';
  if (ms < 10_000) return 'just now';
  return `${duration(ms)} ago`;
}
