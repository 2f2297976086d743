import * as z from 'zod/mini';

/**
 * A check finding as data: a catalogue key (shared/i18n/findings/en.ts) and the values it names, so any
 * language can word it. A value is a name, a number or a flag; a list of names (rendered as `a`, `b`); or a
 * message of its own (a sentence another one builds on, such as the count a bound is compared with).
 */
export interface FindingMessage {
  key: string;
  params: FindingParams;
}

export type FindingParam = string | number | boolean | readonly string[] | FindingMessage | readonly FindingMessage[];
export type FindingParams = Readonly<Record<string, FindingParam>>;

const ParamSchema: z.ZodMiniType<FindingParam> = z.union([
  z.string(),
  z.number(),
  z.boolean(),
  z.array(z.string()),
  z.lazy(() => FindingMessageSchema),
  z.array(z.lazy(() => FindingMessageSchema)),
]);

/** For the browser's edge validation (shared/view-schemas.ts). */
export const FindingMessageSchema: z.ZodMiniType<FindingMessage> = z.object({
  key: z.string(),
  params: z.record(z.string(), ParamSchema),
});

export function isFindingMessage(value: unknown): value is FindingMessage {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && typeof (value as FindingMessage).key === 'string';
}
