import i18next from 'i18next';
import { languageStore, learnerStore } from '../storage.js';
import { catalogues, chooseLanguage, type Language } from './catalogues.js';
import type { en } from './en.js';

declare module 'i18next' {
  interface CustomTypeOptions {
    resources: { translation: typeof en };
  }
}

const sources = {
  url: new URLSearchParams(location.search).get('lang'),
  chosen: languageStore.load(),
  // A classroom learner's event language, remembered at joining, so the first render is already in it.
  event: learnerStore.load()?.language ?? null,
  browser: navigator.languages,
};

// Synchronous: the catalogues are bundled, so the first render already has its strings.
void i18next.init({
  lng: chooseLanguage(sources),
  fallbackLng: 'en',
  resources: Object.fromEntries(Object.entries(catalogues).map(([lng, translation]) => [lng, { translation }])),
  initAsync: false,
  // lit-html escapes every value it puts in the page; escaping here as well would show "&amp;".
  interpolation: { escapeValue: false },
  returnNull: false,
});
document.documentElement.lang = i18next.language;

/** The one way the client turns a message key (and its values) into words. */
export const t = i18next.t.bind(i18next);

/** The active language, for number and date formatting and for asking the server for lessons. */
export const activeLanguage = (): Language => i18next.language as Language;

const listeners = new Set<() => void>();

/** Calls `listener` after every change of language (to redraw); returns the way to stop. */
export function onLanguageChange(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

function apply(): void {
  const next = chooseLanguage(sources);
  if (next === i18next.language) return;
  void i18next.changeLanguage(next);
  document.documentElement.lang = next;
  for (const listener of [...listeners]) listener();
}

/** The person's own choice (the language switch): remembered in this browser, and stronger than any class default. */
export function chooseLanguageYourself(language: Language): void {
  languageStore.save(language);
  Object.assign(sources, { chosen: language, url: null });
  // A `?lang=` in the address would otherwise win again at the next reload.
  const url = new URL(location.href);
  if (url.searchParams.has('lang')) {
    url.searchParams.delete('lang');
    history.replaceState(history.state, '', url);
  }
  apply();
}

/** The class's default language (an event's `language`), used while the person has not chosen one; none clears it. */
export function useClassLanguage(language: Language | undefined): void {
  sources.event = language ?? null;
  apply();
}
