import * as z from 'zod/mini';
import { catalogues, type Language } from './i18n/catalogues.js';

/**
 * The one place the client keeps things in the browser: each slot is a localStorage key read through a schema,
 * so a damaged or outdated entry reads as nothing instead of breaking the page.
 */
function slot<T>(key: string, schema: z.ZodMiniType<T>) {
  return {
    load(): T | null {
      try {
        const parsed = schema.safeParse(JSON.parse(localStorage.getItem(key) ?? 'null'));
        return parsed.success ? parsed.data : null;
      } catch {
        return null;
      }
    },
    save(value: T): void {
      localStorage.setItem(key, JSON.stringify(value));
    },
    clear(): void {
      localStorage.removeItem(key);
    },
  };
}

const CredentialsSchema = z.object({ id: z.string(), token: z.string() });
/** A session's id and the token that opens it (a learner's token opens their session too). */
export type Credentials = z.infer<typeof CredentialsSchema>;

const LanguageSchema = z.enum(Object.keys(catalogues) as [Language, ...Language[]]);

const LearnerCredentialsSchema = z.object({ token: z.string(), id: z.string(), name: z.string(), event: z.string(), language: z.optional(LanguageSchema) });
/** A classroom learner's token (and their event's default language), kept so the workspace finds them again after the browser closes. */
export type LearnerCredentials = z.infer<typeof LearnerCredentialsSchema>;

const PositionSchema = z.object({ lesson: z.string(), step: z.int().check(z.minimum(0)) });
/** Where the learner was in the lessons, so a reload opens the same step. */
export type Position = z.infer<typeof PositionSchema>;

export const learnerStore = slot('swarm-workshop.learner', LearnerCredentialsSchema);
export const positionStore = slot('swarm-workshop.position', PositionSchema);
/** The access code a self-paced learner typed, for a server in `code` mode (sent as X-Access-Code). */
export const accessCodeStore = slot('swarm-workshop.access-code', z.string());
/** The language a person chose with the language switch (never set by an event's default). */
export const languageStore = slot('swarm-workshop.language', LanguageSchema);
/** Whether the terminals run in xterm.js's screen-reader mode (the switch in the workspace's top bar). */
export const screenReaderStore = slot('swarm-workshop.screen-reader', z.boolean());

const sessionSlot = slot('swarm-workshop.session', CredentialsSchema);
const HASH = /^#s=([a-z0-9]+)\.([\w-]+)$/;

/** The open session, in localStorage and in the URL hash (`#s=<id>.<token>`), so a reload or a shared link finds it. */
export const sessionStore = {
  load(): Credentials | null {
    const fromHash = HASH.exec(location.hash);
    return fromHash ? { id: fromHash[1], token: fromHash[2] } : sessionSlot.load();
  },
  save(c: Credentials): void {
    sessionSlot.save(c);
    history.replaceState(null, '', `#s=${c.id}.${c.token}`);
  },
  clear(): void {
    sessionSlot.clear();
    history.replaceState(null, '', location.pathname + location.search);
  },
};
