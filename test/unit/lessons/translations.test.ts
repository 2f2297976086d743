import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { lessonView } from '../../../server/lessons/lesson-view.js';
import { loadLessons } from '../../../server/lessons/load-lessons.js';
import { shownBlocks, translationDifferences } from '../../lessons/translation-parity.js';

const lessons = await loadLessons(fileURLToPath(new URL('../../../lessons/', import.meta.url)));
const HANGUL = /[\uac00-\ud7a3]/;

describe('bundled translations', () => {
  it('every lesson has a Korean translation', () => {
    expect(lessons.filter((l) => !l.translations?.has('ko')).map((l) => l.file)).toEqual([]);
  });

  for (const lesson of lessons) {
    for (const lang of lesson.translations?.keys() ?? []) {
      it(`${lang}/${lesson.file}: the same blocks (node, index, text) and check ids as the source`, () => {
        const view = lessonView(lesson, lang);
        expect(translationDifferences(lesson, view, lang)).toEqual([]);
        // The comparison reads blocks back from the HTML: make sure it found them, so it cannot pass empty.
        const runnable = lesson.steps.flatMap((s) => s.blocks.filter((b) => !b.solution));
        expect(view.stepViews.flatMap((s) => shownBlocks(s.html))).toHaveLength(runnable.length);
      });

      if (lang === 'ko') {
        it(`ko/${lesson.file}: titles, check titles and hints are in Korean`, () => {
          const view = lessonView(lesson, lang);
          const texts = [view.title, view.summary, ...view.stepViews.flatMap((s) => [s.title, ...s.checks.map((c) => c.title)])];
          expect(texts.filter((t) => !HANGUL.test(t))).toEqual([]);
          // A hint that is just the command to run reads the same in every language.
          const hints = view.stepViews.flatMap((s) => s.checks.map((c) => c.hint ?? ''));
          expect(hints.filter((h) => !HANGUL.test(h) && !/^docker [a-z]+ /.test(h))).toEqual([]);
        });
      }
    }
  }

  it('serves English, saying so, for a language a lesson has no translation for', () => {
    const view = lessonView(lessons[0], 'fr');
    expect(view.lang).toBe('en');
    expect(view.title).toBe(lessons[0].meta.title);
  });
});
