import { en } from './en.js';

/**
 * Every message catalogue the client ships, by language. A new language is one more file next to en.ts and one
 * line here; test/unit/client/i18n-catalogues.test.ts checks that its keys and placeholders match English.
 */
export const catalogues = { en } as const;

export type Language = keyof typeof catalogues;

/** The shape a catalogue other than English has: nested keys, strings at the leaves (plural suffixes vary by language). */
export interface Catalogue {
  [key: string]: string | Catalogue;
}

/** The first of the browser's preferred languages that has a catalogue, else English. */
export function pickLanguage(preferred: readonly string[], available: readonly string[] = Object.keys(catalogues)): Language {
  for (const tag of preferred) {
    const base = tag.toLowerCase().split('-')[0];
    if (available.includes(base)) return base as Language;
  }
  return 'en';
}
