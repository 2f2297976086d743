import { en } from './en.js';
import { ko } from './ko.js';

/**
 * Every message catalogue the client ships, by language. A new language is one more file next to en.ts and one
 * line here; test/unit/client/i18n-catalogues.test.ts checks that its keys and placeholders match English.
 */
export const catalogues = { en, ko } as const;

export type Language = keyof typeof catalogues;

/** Each language in its own words, for the language switch (the same in every catalogue, so nobody is lost). */
export const LANGUAGE_NAMES: Record<Language, string> = { en: 'English', ko: '한국어' };

/** The shape a catalogue other than English has: nested keys, strings at the leaves (plural suffixes vary by language). */
export interface Catalogue {
  [key: string]: string | Catalogue;
}

export function isLanguage(value: unknown): value is Language {
  return typeof value === 'string' && Object.hasOwn(catalogues, value);
}

/** The first of the browser's preferred languages that has a catalogue, else English. */
export function pickLanguage(preferred: readonly string[], available: readonly string[] = Object.keys(catalogues)): Language {
  for (const tag of preferred) {
    const base = tag.toLowerCase().split('-')[0];
    if (available.includes(base)) return base as Language;
  }
  return 'en';
}

/** Where a page's language can come from, strongest first (see `chooseLanguage`). */
export interface LanguageSources {
  /** `?lang=` on the page's address (a link that names its language). */
  url?: string | null;
  /** What this person picked with the language switch, remembered in the browser. */
  chosen?: Language | null;
  /** The default language of the class (the event) the page belongs to. */
  event?: Language | null;
  /** The browser's preferred languages (navigator.languages). */
  browser: readonly string[];
}

/** A person's own choice wins over the class default, which wins over the browser's preference. */
export function chooseLanguage({ url, chosen, event, browser }: LanguageSources): Language {
  if (isLanguage(url)) return url;
  if (chosen) return chosen;
  if (event) return event;
  return pickLanguage(browser);
}
