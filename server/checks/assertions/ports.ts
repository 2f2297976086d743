import type { PortConfig } from '../docker-types.js';

/**
 * A published port as a check may write it, in any of the syntaxes people use: the CLI's short form
 * (`8080:80`, `8080:80/udp`, `80`), its long form (`published=8080,target=80,mode=host`) or compose's long
 * syntax as a mapping. A field left out takes the default the CLI and compose use (tcp, ingress); a
 * published port left out matches any (swarm picks one for ingress ports).
 */
export interface PortExpectation {
  target: number;
  published?: number;
  protocol: string;
  mode: string;
}

export type PortWritten = string | { target: number; published?: number | string; protocol?: string; mode?: string };

const PORT = '(\\d{1,5})';
const SHORT = new RegExp(`^(?:${PORT}:)?${PORT}(?:/(tcp|udp|sctp))?$`, 'i');
const LONG_KEYS = new Set(['target', 'published', 'protocol', 'mode']);

function fromShort(text: string): PortExpectation | undefined {
  const match = SHORT.exec(text.trim());
  if (!match) return undefined;
  return { target: Number(match[2]), ...(match[1] ? { published: Number(match[1]) } : {}), protocol: (match[3] ?? 'tcp').toLowerCase(), mode: 'ingress' };
}

function fromLong(text: string): PortExpectation | undefined {
  const fields = new Map<string, string>();
  for (const part of text.split(',')) {
    const [key, value, ...rest] = part.split('=').map((s) => s.trim());
    if (!LONG_KEYS.has(key) || value === undefined || rest.length > 0) return undefined;
    fields.set(key, value.toLowerCase());
  }
  return fromObject({ target: Number(fields.get('target')), published: fields.get('published'), protocol: fields.get('protocol'), mode: fields.get('mode') });
}

function fromObject(port: Exclude<PortWritten, string>): PortExpectation | undefined {
  const published = port.published === undefined || port.published === '' ? undefined : Number(port.published);
  if (!Number.isInteger(port.target) || (published !== undefined && !Number.isInteger(published))) return undefined;
  const protocol = (port.protocol ?? 'tcp').toLowerCase();
  const mode = (port.mode ?? 'ingress').toLowerCase();
  if (!['tcp', 'udp', 'sctp'].includes(protocol) || !['ingress', 'host'].includes(mode)) return undefined;
  return { target: port.target, ...(published !== undefined ? { published } : {}), protocol, mode };
}

/** Reads any written form; undefined when it is none of them. */
export function parsePort(port: PortWritten): PortExpectation | undefined {
  if (typeof port !== 'string') return fromObject(port);
  return port.includes('=') ? fromLong(port) : fromShort(port);
}

/** `8080:80/tcp ingress` — one spelling for messages, whichever form was written. */
export function describeExpectedPort(port: PortExpectation): string {
  return `${port.published ?? '*'}:${port.target}/${port.protocol} ${port.mode}`;
}

export function describeEnginePort(port: PortConfig): string {
  return `${port.PublishedPort || '-'}:${port.TargetPort}/${port.Protocol || 'tcp'} ${port.PublishMode || 'ingress'}`;
}

/** The engine omits its defaults (`omitempty`), so an absent protocol is tcp and an absent mode ingress. */
export function portMatches(actual: PortConfig, want: PortExpectation): boolean {
  return actual.TargetPort === want.target
    && (want.published === undefined || actual.PublishedPort === want.published)
    && (actual.Protocol || 'tcp') === want.protocol
    && (actual.PublishMode || 'ingress') === want.mode;
}
