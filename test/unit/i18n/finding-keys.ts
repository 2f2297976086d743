import type { AssertionResult } from '../../../server/checks/finding.js';
import { isFindingMessage, type FindingMessage } from '../../../shared/i18n/finding-message.js';
import type { FindingCatalogue } from '../../../shared/i18n/findings/catalogue.js';

export const PLURAL = /_(zero|one|two|few|many|other)$/;

/** Every leaf of a catalogue as "a.b.c" → text. */
export function flatten(catalogue: FindingCatalogue, prefix = ''): Map<string, string> {
  const leaves = new Map<string, string>();
  for (const [key, value] of Object.entries(catalogue)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (typeof value === 'string') leaves.set(path, value);
    else for (const [k, v] of flatten(value, path)) leaves.set(k, v);
  }
  return leaves;
}

/** The placeholder names of a text: `{{name}}` and `{{name, format}}`. */
export function placeholders(text: string): string[] {
  return [...text.matchAll(/\{\{\s*(\w+)\s*(?:,[^}]*)?\}\}/g)].map((m) => m[1]);
}

/** Every message a result says or builds on, with the key of each field name it uses. */
export function messagesOf(result: AssertionResult): FindingMessage[] {
  const found: FindingMessage[] = [];
  const visit = (message: FindingMessage) => {
    found.push(message);
    if (typeof message.params.field === 'string') found.push({ key: `fields.${message.params.field}`, params: message.params });
    for (const value of Object.values(message.params)) {
      if (isFindingMessage(value)) visit(value);
      else if (Array.isArray(value)) for (const item of value) if (isFindingMessage(item)) visit(item);
    }
  };
  for (const message of [...result.findings, ...result.differences]) visit(message);
  return found;
}
