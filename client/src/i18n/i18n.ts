import i18next from 'i18next';
import { catalogues, pickLanguage } from './catalogues.js';
import type { en } from './en.js';

declare module 'i18next' {
  interface CustomTypeOptions {
    resources: { translation: typeof en };
  }
}

const language = pickLanguage([...new URLSearchParams(location.search).getAll('lang'), ...navigator.languages]);

// Synchronous: the catalogues are bundled, so the first render already has its strings.
void i18next.init({
  lng: language,
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

/** The active language, for number and date formatting. */
export const activeLanguage = (): string => i18next.language;
