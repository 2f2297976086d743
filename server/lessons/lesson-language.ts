import { HttpError } from '../errors.js';
import { SOURCE_LANGUAGE } from './parse-lesson.js';

/** A BCP 47-ish tag as a page may ask for it: `ko`, `ko-KR`, `en`. */
const LANGUAGE_TAG = /^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$/;

/**
 * The language to serve: the one asked for (`?lang=`, matched exactly, then by its primary subtag so
 * `ko-KR` finds `ko`), else the browser's best by Accept-Language, else the source language. `available`
 * lists the source language first. A malformed `lang` is a 400, an unknown one falls back.
 */
export function chooseLanguage(asked: unknown, available: readonly string[], acceptsLanguages: (offers: string[]) => string | false): string {
  if (asked !== undefined) {
    if (typeof asked !== 'string' || !LANGUAGE_TAG.test(asked)) throw new HttpError(400, 'bad_request', 'lang is a language tag such as ko or en');
    const exact = available.find((lang) => lang.toLowerCase() === asked.toLowerCase());
    const primary = asked.split('-')[0].toLowerCase();
    return exact ?? available.find((lang) => lang.toLowerCase() === primary) ?? SOURCE_LANGUAGE;
  }
  return acceptsLanguages([...available]) || SOURCE_LANGUAGE;
}
