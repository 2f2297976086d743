import { LineCounter, parseDocument } from 'yaml';
import { z } from 'zod';
import { TemplateNameSchema } from '../../shared/protocol.js';
import { lineOfPath } from './yaml-lines.js';

export const LessonMetaSchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'the id is kebab-case, e.g. swarm-init'),
  title: z.string().min(1),
  summary: z.string().min(1),
  template: TemplateNameSchema,
  /** Whether the session starts with the template's swarm already formed. */
  swarm: z.boolean(),
  images: z.array(z.string().min(1)).default([]),
  minutes: z.number().int().positive(),
  order: z.number().int().optional(),
  /**
   * How the lesson is graded: `earned` (step-wise lessons: what the learner earned step by step, which later
   * steps cannot take away) or `final-state` (an exercise graded on the live cluster when it is graded).
   */
  grading: z.enum(['earned', 'final-state']).default('earned'),
});

export type LessonMeta = z.infer<typeof LessonMetaSchema>;

export interface SplitSource {
  frontMatter: string;
  body: string;
  /** How many lines of the file come before the body, to turn body line numbers into file line numbers. */
  bodyLineOffset: number;
}

/** Splits `---` front matter from the markdown body, keeping track of lines. */
export function splitFrontMatter(source: string): SplitSource | undefined {
  const match = /^---\r?\n([\s\S]*?)\r?\n---[ \t]*(\r?\n|$)/.exec(source);
  if (!match) return undefined;
  return { frontMatter: match[1], body: source.slice(match[0].length), bodyLineOffset: match[0].split('\n').length - 1 };
}

/** Parses YAML front matter and validates it with `schema`; problems carry 1-based lines within the front matter text. */
export function parseFrontMatterWith<T>(text: string, schema: z.ZodType<T>): { meta?: T; problems: { line: number; message: string }[] } {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter });
  if (doc.errors.length > 0) {
    return { problems: doc.errors.map((e) => ({ line: e.linePos?.[0].line ?? 1, message: `front matter: ${e.message.split('\n')[0]}` })) };
  }
  const parsed = schema.safeParse(doc.toJS());
  if (parsed.success) return { meta: parsed.data, problems: [] };
  return {
    problems: parsed.error.issues.map((issue) => ({
      line: lineOfPath(doc, lineCounter, issue.path.filter((p): p is string | number => typeof p !== 'symbol')),
      message: `front matter ${issue.path.join('.') || ''}: ${issue.message}`.replace(' :', ':'),
    })),
  };
}

/** Parses and validates a lesson's front matter. */
export function parseFrontMatter(text: string): { meta?: LessonMeta; problems: { line: number; message: string }[] } {
  return parseFrontMatterWith(text, LessonMetaSchema);
}
