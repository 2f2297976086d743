import type { Language } from '../i18n/catalogues.js';

/**
 * One thing a check found wrong, as the server sends it: expected and actual values, the difference in English
 * (`message`), and, where the server has one, a message key with its values so it can be said in any language.
 */
export interface Finding {
  expected?: string;
  actual?: string;
  message: string;
  key?: string;
  params?: Record<string, string | number>;
}

/**
 * A finding in the reader's language, from its key through the shared findings catalogue
 * (shared/i18n/render-finding.ts); the server's English message when the finding has no key.
 * Until that renderer is on this branch every finding reads as its message.
 */
export function findingText(finding: Finding, _language: Language): string {
  return finding.message;
}
