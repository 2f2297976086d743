import type { Credentials } from './api.js';

const KEY = 'swarm-workshop.session';

/** Keeps the session's id and token in localStorage and the URL hash (`#s=<id>.<token>`), so a reload finds it again. */
export function loadCredentials(): Credentials | null {
  const fromHash = /^#s=([a-z0-9]+)\.([\w-]+)$/.exec(location.hash);
  if (fromHash) return { id: fromHash[1], token: fromHash[2] };
  try {
    const stored = JSON.parse(localStorage.getItem(KEY) ?? 'null') as Credentials | null;
    if (stored && typeof stored.id === 'string' && typeof stored.token === 'string') return stored;
  } catch {
    // ignore a damaged entry
  }
  return null;
}

export function saveCredentials(c: Credentials): void {
  localStorage.setItem(KEY, JSON.stringify(c));
  history.replaceState(null, '', `#s=${c.id}.${c.token}`);
}

export function clearCredentials(): void {
  localStorage.removeItem(KEY);
  history.replaceState(null, '', location.pathname + location.search);
}
