import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LessonListView, LessonView } from '../../../shared/lesson-protocol.js';
import { errorHandler } from '../../../server/http/error-handler.js';
import { lessonsRouter } from '../../../server/http/lessons-routes.js';
import { lessonIndex, loadLessons } from '../../../server/lessons/load-lessons.js';
import { createLogger } from '../../../server/logger.js';

let server: Server;
let base: string;
const lessons = await loadLessons(fileURLToPath(new URL('../../../lessons/', import.meta.url)));
const translated = lessons[0];
// A lesson as if nobody had translated it yet: the routes must fall back to English for it alone.
const untranslated = { ...lessons[1], translations: undefined };

beforeAll(async () => {
  const app = express();
  app.use('/api/lessons', lessonsRouter(lessonIndex([translated, untranslated])));
  app.use(errorHandler(createLogger('silent')));
  server = createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/lessons`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

async function get<T>(path: string, headers: Record<string, string> = {}): Promise<{ status: number; body: T; vary: string | null }> {
  const res = await fetch(`${base}${path}`, { headers });
  return { status: res.status, body: (await res.json()) as T, vary: res.headers.get('vary') };
}

describe('lesson routes in the reader\'s language', () => {
  it('serves a lesson in Korean with ?lang=ko and says so', async () => {
    const { body } = await get<LessonView>(`/${translated.meta.id}?lang=ko`);
    const korean = translated.translations?.get('ko');
    expect(body.lang).toBe('ko');
    expect(body.languages).toEqual(['en', 'ko']);
    expect(body.title).toBe(korean?.meta.title);
    expect(body.stepViews.map((s) => s.checks.map((c) => c.title))).toEqual(korean?.steps.map((s) => s.checks.map((c) => c.title)));
  });

  it('matches a regional tag by its language (ko-KR) and follows Accept-Language without ?lang', async () => {
    expect((await get<LessonView>(`/${translated.meta.id}?lang=ko-KR`)).body.lang).toBe('ko');
    const negotiated = await get<LessonView>(`/${translated.meta.id}`, { 'accept-language': 'ko-KR,ko;q=0.9,en-US;q=0.8' });
    expect(negotiated.body.lang).toBe('ko');
    expect(negotiated.vary).toMatch(/Accept-Language/i);
    expect((await get<LessonView>(`/${translated.meta.id}`, { 'accept-language': 'en-US,en;q=0.9,ko;q=0.5' })).body.lang).toBe('en');
    expect((await get<LessonView>(`/${translated.meta.id}`)).body.lang).toBe('en');
  });

  it('?lang wins over Accept-Language', async () => {
    expect((await get<LessonView>(`/${translated.meta.id}?lang=en`, { 'accept-language': 'ko' })).body.lang).toBe('en');
  });

  it('falls back to English for a lesson without that translation, and says so', async () => {
    const { body } = await get<LessonView>(`/${untranslated.meta.id}?lang=ko`);
    expect(body.lang).toBe('en');
    expect(body.languages).toEqual(['en']);
    expect(body.title).toBe(untranslated.meta.title);
  });

  it('lists each lesson in the language it has', async () => {
    const { body } = await get<LessonListView>('?lang=ko');
    expect(body.lang).toBe('ko');
    expect(body.lessons.map((l) => [l.id, l.lang])).toEqual([[translated.meta.id, 'ko'], [untranslated.meta.id, 'en']]);
    expect(body.lessons[0].title).toBe(translated.translations?.get('ko')?.meta.title);
  });

  it('refuses a malformed lang', async () => {
    const { status } = await get(`/${translated.meta.id}?lang=${encodeURIComponent('<script>')}`);
    expect(status).toBe(400);
  });
});
