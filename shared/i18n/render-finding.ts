import i18next from 'i18next';
import { isFindingMessage, type FindingMessage, type FindingParam } from './finding-message.js';
import { en } from './findings/en.js';
import { ko } from './findings/ko.js';

export type { FindingMessage, FindingParam, FindingParams } from './finding-message.js';

/** Every language findings can be read in. A new language is one more file in findings/ and one entry here. */
export const findingCatalogues = { en, ko } as const;

export type FindingLanguage = keyof typeof findingCatalogues;

export const FINDING_LANGUAGES = Object.keys(findingCatalogues) as FindingLanguage[];

export function isFindingLanguage(value: unknown): value is FindingLanguage {
  return typeof value === 'string' && Object.hasOwn(findingCatalogues, value);
}

// An instance of its own: the server has no other i18next, and the client's page catalogue stays separate.
const findings = i18next.createInstance();
void findings.init({
  lng: 'en',
  fallbackLng: 'en',
  ns: ['findings'],
  defaultNS: 'findings',
  resources: Object.fromEntries(Object.entries(findingCatalogues).map(([lng, catalogue]) => [lng, { findings: catalogue }])),
  initAsync: false,
  // Findings are plain text: the client's templates escape what they show, a terminal or CSV needs no escaping.
  interpolation: { escapeValue: false },
  returnNull: false,
});

// `{{names, codes}}`: each name in backticks, or the language's word for none.
findings.services.formatter?.add('codes', (value: unknown, lng: string | undefined) => {
  const names = Array.isArray(value) ? value.map(String) : [String(value)];
  return names.length === 0 ? translate(lng as FindingLanguage, 'common.none', {}) : names.map((name) => `\`${name}\``).join(', ');
});

/** i18next's `t`, untyped: the client declares its own catalogue as i18next's resource type, and this is not it. */
function translate(lang: FindingLanguage, key: string, values: Record<string, unknown>): string {
  const t = findings.getFixedT(lang) as unknown as (key: string, options: Record<string, unknown>) => string;
  return t(key, values);
}

function renderParam(value: FindingParam, lang: FindingLanguage): unknown {
  if (isFindingMessage(value)) return renderFinding(value, lang);
  if (Array.isArray(value) && value.some(isFindingMessage)) return (value as FindingMessage[]).map((m) => renderFinding(m, lang)).join('; ');
  return value;
}

/** Words one finding (or a difference) in a language; a sentence it builds on is worded first. */
export function renderFinding(message: FindingMessage, lang: FindingLanguage = 'en'): string {
  const values: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(message.params)) values[name] = renderParam(value, lang);
  if (typeof message.params.field === 'string') values.field = translate(lang, `fields.${message.params.field}`, values);
  return translate(lang, message.key, values);
}

/** Words the findings of one assertion, joined as its message is. */
export function renderFindings(messages: readonly FindingMessage[], lang: FindingLanguage = 'en'): string {
  return messages.map((m) => renderFinding(m, lang)).join('; ');
}

/** A grade report's failure in a language: from its findings, or its stored English message when it has none. */
export function renderFailure(failure: { message: string; findings?: readonly FindingMessage[] }, lang: FindingLanguage = 'en'): string {
  return failure.findings?.length ? renderFindings(failure.findings, lang) : failure.message;
}

/** Whether a catalogue has the key (for a counted message, in the form for `count`). */
export function hasFindingKey(key: string, lang: FindingLanguage, count?: number): boolean {
  return findings.exists(key, { lng: lang, fallbackLng: false, ...(count === undefined ? {} : { count }) } as never);
}

type WithoutPlural<K extends string> = K extends `${infer Base}_${'zero' | 'one' | 'two' | 'few' | 'many' | 'other'}` ? Base : K;
type KeysOf<T, Prefix extends string = ''> = {
  [K in keyof T & string]: T[K] extends string ? `${Prefix}${WithoutPlural<K>}` : KeysOf<T[K], `${Prefix}${K}.`>;
}[keyof T & string];

/** Every message key of the English catalogue, as code names it (a counted message without its plural suffix). */
export type FindingKey = KeysOf<typeof en>;
/** The names of compared properties, for a finding's `field`. */
export type FindingField = KeysOf<typeof en.fields>;
