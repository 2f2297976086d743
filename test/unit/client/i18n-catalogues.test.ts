import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { catalogues, pickLanguage, type Catalogue } from '../../../client/src/i18n/catalogues.js';
import { en } from '../../../client/src/i18n/en.js';

const I18N_DIR = join(dirname(fileURLToPath(import.meta.url)), '../../../client/src/i18n');
const PLURAL = /_(zero|one|two|few|many|other)$/;

/** Every leaf of a catalogue as "a.b.c" → text. */
function flatten(catalogue: Catalogue, prefix = ''): Map<string, string> {
  const leaves = new Map<string, string>();
  for (const [key, value] of Object.entries(catalogue)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (typeof value === 'string') leaves.set(path, value);
    else for (const [k, v] of flatten(value, path)) leaves.set(k, v);
  }
  return leaves;
}

/** Leaves grouped by key without plural suffix (languages have different plural forms), with the placeholders all forms use. */
function messages(catalogue: Catalogue): Map<string, { forms: string[]; placeholders: Set<string> }> {
  const grouped = new Map<string, { forms: string[]; placeholders: Set<string> }>();
  for (const [key, text] of flatten(catalogue)) {
    const base = key.replace(PLURAL, '');
    const entry = grouped.get(base) ?? { forms: [], placeholders: new Set<string>() };
    entry.forms.push(PLURAL.exec(key)?.[1] ?? '');
    for (const match of text.matchAll(/\{\{\s*(\w+)\s*\}\}/g)) entry.placeholders.add(match[1]);
    grouped.set(base, entry);
  }
  return grouped;
}

const english = messages(en);

describe('message catalogues', () => {
  it('registers every catalogue file in client/src/i18n/', () => {
    const files = readdirSync(I18N_DIR).filter((f) => /^[a-z]{2}(-[a-z]+)?\.ts$/.test(f)).map((f) => f.replace(/\.ts$/, ''));
    expect(files).toContain('en');
    expect(Object.keys(catalogues).sort()).toEqual(files.sort());
  });

  it('gives every counted English message both a singular and a plural form', () => {
    for (const [key, { forms }] of english) {
      if (forms.some(Boolean)) expect(forms.sort(), key).toEqual(['one', 'other']);
    }
  });

  it('writes placeholders as {{name}} and nothing else in braces', () => {
    for (const [key, text] of flatten(en)) expect(text.replace(/\{\{\w+\}\}/g, ''), key).not.toMatch(/[{}]/);
  });

  it('every other catalogue has exactly the English keys, with the same placeholders', () => {
    for (const [language, catalogue] of Object.entries(catalogues)) expect(differences(catalogue), language).toEqual([]);
  });

  it('the comparison finds a missing key, an extra key, a renamed placeholder and a missing plural form', () => {
    // English with only "other" plural forms (as Korean has) passes…
    const onlyOther = JSON.parse(JSON.stringify(en).replace(/"(\w+)_one":"[^"]*",/g, '')) as Catalogue;
    expect(differences(onlyOther)).toEqual([]);
    // …and each kind of mistake is named.
    const broken = JSON.parse(JSON.stringify(en)) as { [k: string]: Catalogue };
    delete broken.session.extend;
    broken.session.extra = 'x';
    broken.ports.none = 'Nothing on {{host}}';
    delete broken.lessons.steps_other;
    expect(differences(broken).sort()).toEqual(['extra key session.extra', 'lessons.steps: no "other" form', 'missing key session.extend', 'ports.none: placeholders host, not node'].sort());
  });
});

/** What a catalogue gets wrong against English, in words (empty when it matches). */
function differences(catalogue: Catalogue): string[] {
  const translated = messages(catalogue);
  const problems: string[] = [];
  for (const key of english.keys()) if (!translated.has(key)) problems.push(`missing key ${key}`);
  for (const [key, { forms, placeholders }] of translated) {
    const source = english.get(key);
    if (!source) {
      problems.push(`extra key ${key}`);
      continue;
    }
    const got = [...placeholders].sort().join(', ');
    const want = [...source.placeholders].sort().join(', ');
    if (got !== want) problems.push(`${key}: placeholders ${got}, not ${want}`);
    if (source.forms.some(Boolean) && !forms.includes('other')) problems.push(`${key}: no "other" form`);
  }
  return problems;
}

describe('pickLanguage', () => {
  it('takes the first preferred language that has a catalogue, by its base tag', () => {
    expect(pickLanguage(['ko-KR', 'en-GB'], ['en', 'ko'])).toBe('ko');
    expect(pickLanguage(['fr', 'EN-us'], ['en', 'ko'])).toBe('en');
  });

  it('falls back to English', () => {
    expect(pickLanguage(['fr', 'de'], ['en', 'ko'])).toBe('en');
    expect(pickLanguage([], ['en'])).toBe('en');
  });
});
