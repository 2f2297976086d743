import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { FindingCatalogue } from '../../../shared/i18n/findings/catalogue.js';
import { en } from '../../../shared/i18n/findings/en.js';
import { findingCatalogues, isFindingLanguage, renderFinding } from '../../../shared/i18n/render-finding.js';
import { flatten, placeholders, PLURAL } from './finding-keys.js';

const FINDINGS_DIR = new URL('../../../shared/i18n/findings/', import.meta.url);

/** Leaves grouped by key without plural suffix, with the forms present and the placeholders all forms use. */
function messages(catalogue: FindingCatalogue): Map<string, { forms: string[]; placeholders: Set<string>; formats: Set<string> }> {
  const grouped = new Map<string, { forms: string[]; placeholders: Set<string>; formats: Set<string> }>();
  for (const [key, text] of flatten(catalogue)) {
    const base = key.replace(PLURAL, '');
    const entry = grouped.get(base) ?? { forms: [], placeholders: new Set<string>(), formats: new Set<string>() };
    entry.forms.push(PLURAL.exec(key)?.[1] ?? '');
    for (const name of placeholders(text)) entry.placeholders.add(name);
    for (const match of text.matchAll(/\{\{\s*(\w+)\s*,\s*([^}]+?)\s*\}\}/g)) entry.formats.add(`${match[1]}: ${match[2]}`);
    grouped.set(base, entry);
  }
  return grouped;
}

const english = messages(en);

/** What a catalogue gets wrong against English, in words (empty when it matches). */
function differences(catalogue: FindingCatalogue): string[] {
  const translated = messages(catalogue);
  const problems: string[] = [];
  for (const key of english.keys()) if (!translated.has(key)) problems.push(`missing key ${key}`);
  for (const [key, { forms, placeholders: names, formats }] of translated) {
    const source = english.get(key);
    if (!source) {
      problems.push(`extra key ${key}`);
      continue;
    }
    const got = [...names].sort().join(', ');
    const want = [...source.placeholders].sort().join(', ');
    if (got !== want) problems.push(`${key}: placeholders ${got}, not ${want}`);
    if ([...formats].sort().join('; ') !== [...source.formats].sort().join('; ')) problems.push(`${key}: formats ${[...formats].join('; ')}, not ${[...source.formats].join('; ')}`);
    if (source.forms.some(Boolean) && !forms.includes('other')) problems.push(`${key}: no "other" form`);
  }
  return problems;
}

describe('findings catalogues', () => {
  it('registers every catalogue file in shared/i18n/findings/', () => {
    const files = readdirSync(FINDINGS_DIR).filter((f) => /^[a-z]{2}(-[a-z]+)?\.ts$/.test(f)).map((f) => f.replace(/\.ts$/, ''));
    expect(files).toContain('en');
    expect(Object.keys(findingCatalogues).sort()).toEqual(files.sort());
    expect(isFindingLanguage('ko')).toBe(true);
    expect(isFindingLanguage('fr')).toBe(false);
    expect(isFindingLanguage('toString')).toBe(false);
  });

  it('gives every counted English message both a singular and a plural form, counted by {{count}}', () => {
    for (const [key, { forms, placeholders: names }] of english) {
      if (forms.some(Boolean)) {
        expect(forms.sort(), key).toEqual(['one', 'other']);
        expect(names.has('count'), key).toBe(true);
      }
    }
  });

  it('writes placeholders as {{name}} or {{name, format}} with a format the renderer knows', () => {
    for (const [language, catalogue] of Object.entries(findingCatalogues)) {
      for (const [key, text] of flatten(catalogue)) {
        expect(text.replace(/\{\{\w+(, (codes|list\(type: disjunction\)))?\}\}/g, ''), `${language} ${key}`).not.toMatch(/[{}]/);
      }
    }
  });

  it('quotes the same values in every language: what is in backticks in English is in backticks in the translation', () => {
    const quoted = (text: string) => [...text.matchAll(/`[^`]*`/g)].map((m) => m[0]).sort();
    for (const [language, catalogue] of Object.entries(findingCatalogues)) {
      const leaves = flatten(catalogue);
      for (const [key, text] of flatten(en)) {
        const translated = leaves.get(key) ?? leaves.get(key.replace(PLURAL, '_other'));
        if (translated !== undefined) expect(quoted(translated), `${language} ${key}`).toEqual(quoted(text));
      }
    }
  });

  it('every other catalogue has exactly the English keys, with the same placeholders and formats', () => {
    for (const [language, catalogue] of Object.entries(findingCatalogues)) expect(differences(catalogue), language).toEqual([]);
  });

  it('the comparison finds a missing key, an extra key, a renamed placeholder, a changed format and a missing plural form', () => {
    const broken = JSON.parse(JSON.stringify(en)) as { [k: string]: { [k: string]: string } };
    delete broken.service.exists;
    broken.service.extra = 'x';
    broken.node.notInSession = 'node `{{name}}` is not part of this session';
    broken.volume.existsOn = 'volume `{{volume}}` exists on {{holders}}';
    delete broken.stack.services_other;
    expect(differences(broken as unknown as FindingCatalogue).sort()).toEqual([
      'extra key service.extra',
      'missing key service.exists',
      'node.notInSession: placeholders name, not node',
      'stack.services: no "other" form',
      'volume.existsOn: formats , not holders: codes',
    ].sort());
  });
});

describe('renderFinding', () => {
  it('renders a finding in either language, picking the plural form by count', () => {
    const finding = { key: 'nodes.matching', params: { count: 1, names: ['node1'] } };
    expect(renderFinding(finding, 'en')).toBe('1 node (`node1`)');
    expect(renderFinding({ ...finding, params: { count: 2, names: ['node1', 'node2'] } }, 'en')).toBe('2 nodes (`node1`, `node2`)');
    expect(renderFinding(finding, 'ko')).toBe('노드 1개 (`node1`)');
  });

  it('words a nested message and the field name in the same language', () => {
    const described = { key: 'service.field', params: { service: 'web', field: 'restart.maxAttempts', actual: '0', expected: '3' } };
    expect(renderFinding(described, 'en')).toBe('service `web`: restart max attempts is `0`, expected `3`');
    expect(renderFinding(described, 'ko')).toBe('서비스 `web`: 최대 재시작 횟수 `0`, 기대값 `3`');
    const bound = { key: 'count.min', params: { described: { key: 'stack.services', params: { stack: 'app', count: 1 } }, wanted: 2 } };
    expect(renderFinding(bound, 'en')).toBe('stack `app` has 1 service, expected at least 2');
    expect(renderFinding(bound, 'ko')).toBe('스택 `app`: 서비스 1개, 기대값 최소 2');
  });

  it('leaves values alone: no HTML escaping, no interpolation of a value that looks like a placeholder', () => {
    const finding = { key: 'custom.failed', params: { name: 'x', reason: '<b> & {{secret}} $t(common.none)' } };
    expect(renderFinding(finding, 'en')).toBe('custom check `x` failed: <b> & {{secret}} $t(common.none)');
  });
});
