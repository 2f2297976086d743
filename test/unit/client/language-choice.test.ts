import { describe, expect, it } from 'vitest';
import { catalogues, chooseLanguage, isLanguage, LANGUAGE_NAMES } from '../../../client/src/i18n/catalogues.js';
import { EventLanguageSchema } from '../../../shared/classroom-protocol.js';

describe('chooseLanguage', () => {
  const browser = ['ko-KR', 'en-US'];

  it("follows the browser's preference when nothing else says otherwise", () => {
    expect(chooseLanguage({ browser })).toBe('ko');
    expect(chooseLanguage({ browser: ['fr-FR'] })).toBe('en');
  });

  it("takes the class's language over the browser's", () => {
    expect(chooseLanguage({ event: 'en', browser })).toBe('en');
  });

  it("takes the person's own choice over the class's language", () => {
    expect(chooseLanguage({ chosen: 'ko', event: 'en', browser: ['en'] })).toBe('ko');
  });

  it('takes a known ?lang= over everything, and ignores an unknown one', () => {
    expect(chooseLanguage({ url: 'en', chosen: 'ko', event: 'ko', browser })).toBe('en');
    expect(chooseLanguage({ url: 'xx', chosen: 'en', browser })).toBe('en');
    expect(chooseLanguage({ url: 'toString', browser: ['fr'] })).toBe('en');
  });
});

describe('languages', () => {
  it('an event can be set to exactly the languages the page has catalogues for', () => {
    expect([...EventLanguageSchema.options].sort()).toEqual(Object.keys(catalogues).sort());
  });

  it('names every language in its own words', () => {
    expect(Object.keys(LANGUAGE_NAMES).sort()).toEqual(Object.keys(catalogues).sort());
    expect(isLanguage('ko')).toBe(true);
    expect(isLanguage('constructor')).toBe(false);
  });
});
