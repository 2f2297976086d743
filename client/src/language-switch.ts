import { html } from 'lit-html';
import { catalogues, isLanguage, LANGUAGE_NAMES, type Language } from './i18n/catalogues.js';
import { activeLanguage, chooseLanguageYourself, t } from './i18n/i18n.js';

/**
 * The language switch in every page's top bar: a native select (keyboard and screen readers know it), named
 * "Language" in the active language, each option written in its own language so anyone finds theirs.
 */
export function languageSwitch() {
  const active = activeLanguage();
  const change = (event: Event) => {
    const value = (event.currentTarget as HTMLSelectElement).value;
    if (isLanguage(value)) chooseLanguageYourself(value);
  };
  return html`<label class="language-switch" title=${t('language.label')}>
    <span class="language-icon" aria-hidden="true">🌐</span>
    <select id="language" aria-label=${t('language.label')} @change=${change}>
      ${(Object.keys(catalogues) as Language[]).map((lang) => html`<option value=${lang} lang=${lang} ?selected=${lang === active}>${LANGUAGE_NAMES[lang]}</option>`)}
    </select>
  </label>`;
}
