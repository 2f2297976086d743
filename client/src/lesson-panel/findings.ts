import type { FindingMessage } from '../../../shared/i18n/finding-message.js';
import { isFindingLanguage, renderFailure } from '../../../shared/i18n/render-finding.js';
import type { Language } from '../i18n/catalogues.js';

/**
 * One thing a check found wrong, as the server sends it: expected and actual values, the difference in English
 * (`message`), and, where the server has them, the same as messages with keys and values, sayable in any language.
 */
export interface Finding {
  expected?: string;
  actual?: string;
  message: string;
  findings?: readonly FindingMessage[];
}

/** A finding in the reader's language through the shared findings catalogue; the English message when it has no keys. */
export function findingText(finding: Finding, language: Language): string {
  return isFindingLanguage(language) ? renderFailure(finding, language) : finding.message;
}
