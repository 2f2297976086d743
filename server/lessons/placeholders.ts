/**
 * Live values in code blocks: `{{node1.ip}}`, `{{manager.ip}}`, `{{swarm.worker_token}}`,
 * `{{swarm.manager_token}}`. Go templates such as `{{.Status}}` or `{{json .Spec}}` never match: a
 * placeholder is `word.word` with no spaces inside and no leading dot.
 */
const PLACEHOLDER = /\{\{\s*([a-z][a-z0-9_]*\.[a-z][a-z0-9_]*)\s*\}\}/g;

export const FIXED_PLACEHOLDERS = ['manager.ip', 'swarm.worker_token', 'swarm.manager_token'] as const;

/** The placeholder names a text needs, in order of first use. */
export function listPlaceholders(text: string): string[] {
  return [...new Set([...text.matchAll(PLACEHOLDER)].map((m) => m[1]))];
}

/** Whether a name is a placeholder the server knows how to fill, for the given node names. */
export function isKnownPlaceholder(name: string, nodeNames: string[]): boolean {
  if ((FIXED_PLACEHOLDERS as readonly string[]).includes(name)) return true;
  const match = /^([a-z][a-z0-9-]*)\.ip$/.exec(name);
  return match !== null && nodeNames.includes(match[1]);
}

export class MissingPlaceholderError extends Error {
  constructor(readonly missing: string[]) {
    super(`no value yet for ${missing.map((m) => `{{${m}}}`).join(', ')}`);
    this.name = 'MissingPlaceholderError';
  }
}

/** Fills every placeholder from `values`; throws MissingPlaceholderError naming all that have no value. */
export function fillPlaceholders(text: string, values: Readonly<Record<string, string>>): string {
  const missing = listPlaceholders(text).filter((name) => values[name] === undefined);
  if (missing.length > 0) throw new MissingPlaceholderError(missing);
  return text.replace(PLACEHOLDER, (_, name: string) => values[name]);
}

/** Wraps placeholders in already-escaped HTML so the page can show (and later fill) them. */
export function markPlaceholders(html: string): string {
  return html.replace(PLACEHOLDER, (whole, name: string) => `<span class="placeholder" data-placeholder="${name}">${whole}</span>`);
}
