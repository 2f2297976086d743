/**
 * Conversions between the units people write (docker CLI flags, compose files) and the integers the Engine
 * API stores, so a check compares amounts, not spellings: `512M`, `512m`, `512MiB`, `512 MB` and 536870912
 * are one memory size; `1m`, `60s` and `60000ms` are one duration; `0.5` CPUs are 500000000 NanoCPUs.
 */

const DURATION_UNITS: Record<string, number> = { ns: 1, us: 1e3, 'µs': 1e3, 'μs': 1e3, ms: 1e6, s: 1e9, m: 60e9, h: 3600e9 };

/** What Go's time.ParseDuration accepts (the CLI's and compose's durations): `1m30s`, `1.5h`, `500ms`, `0`. */
export const DURATION_PATTERN = /^(\d+(\.\d+)?(ns|us|µs|μs|ms|s|m|h))+$|^0$/;

/** "1m30s" → nanoseconds; a number is taken as nanoseconds already (what the engine stores). */
export function parseDuration(text: string | number): number {
  if (typeof text === 'number') return Math.round(text);
  if (text === '0') return 0;
  let total = 0;
  for (const [, amount, unit] of text.matchAll(/(\d+(?:\.\d+)?)(ns|us|µs|μs|ms|s|m|h)/g)) total += Number(amount) * DURATION_UNITS[unit];
  return Math.round(total);
}

/** Nanoseconds → "1m30s", the way the CLI prints durations. */
export function formatDuration(nanoseconds: number): string {
  if (nanoseconds === 0) return '0s';
  if (nanoseconds % 1e9 !== 0) return `${nanoseconds / 1e6}ms`;
  let seconds = nanoseconds / 1e9;
  const hours = Math.floor(seconds / 3600);
  seconds -= hours * 3600;
  const minutes = Math.floor(seconds / 60);
  seconds -= minutes * 60;
  return `${hours ? `${hours}h` : ''}${minutes ? `${minutes}m` : ''}${seconds ? `${seconds}s` : ''}`;
}

const MEMORY_UNITS: Record<string, number> = { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3, t: 1024 ** 4, p: 1024 ** 5 };

/**
 * Sizes as docker's RAMInBytes reads them (the CLI's `--limit-memory` and compose's `memory:`): the unit is
 * binary whatever its spelling, so `512M`, `512m`, `512MB`, `512MiB` and `512 mib` are all 512 × 1024².
 */
export const MEMORY_PATTERN = /^(\d+(?:\.\d+)?) ?([kmgtp]?)(i?b)?$/i;

/** "100M" → bytes; a number is bytes already. NaN for text that is no size. */
export function parseMemory(value: string | number): number {
  if (typeof value === 'number') return value;
  const match = MEMORY_PATTERN.exec(value.trim());
  if (!match) return Number.NaN;
  return Math.round(Number(match[1]) * MEMORY_UNITS[match[2].toLowerCase()]);
}

export function formatMemory(bytes: number): string {
  for (const [unit, size] of [['G', 1024 ** 3], ['M', 1024 ** 2], ['k', 1024]] as const) {
    if (bytes >= size && bytes % size === 0) return `${bytes / size}${unit}`;
  }
  return `${bytes}B`;
}

/** "0.5" CPUs → NanoCPUs, rounded as the CLI does (`--limit-cpu 0.5` stores 500000000). */
export function parseCpus(value: string | number): number {
  return Math.round(Number(value) * 1e9);
}

export function formatCpus(nanoCpus: number): string {
  return String(nanoCpus / 1e9);
}

/**
 * A file mode as people write it: `'0440'`, `'440'`, `'0o440'` (octal text, as the CLI's `mode=0440`) or the
 * number the engine stores (288, which YAML 1.1 also reads `0440` as). NaN for anything else.
 */
export function parseFileMode(value: string | number): number {
  if (typeof value === 'number') return value;
  const match = /^0?o?([0-7]{3,4})$/i.exec(value.trim());
  return match ? Number.parseInt(match[1], 8) : Number.NaN;
}

export function formatFileMode(mode: number): string {
  return `0${mode.toString(8).padStart(3, '0')}`;
}
