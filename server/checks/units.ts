/** Conversions between the docker CLI's human units and the Engine API's integers. */

const DURATION_UNITS: Record<string, number> = { ns: 1, us: 1e3, ms: 1e6, s: 1e9, m: 60e9, h: 3600e9 };

/** "1m30s" → nanoseconds, as Go's time.ParseDuration reads it. */
export function parseDuration(text: string): number {
  if (text === '0') return 0;
  let total = 0;
  for (const [, amount, unit] of text.matchAll(/(\d+(?:\.\d+)?)(ns|us|ms|s|m|h)/g)) total += Number(amount) * DURATION_UNITS[unit];
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

const MEMORY_UNITS: Record<string, number> = { b: 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 };

/** "100M" → bytes; docker reads memory sizes in binary units (RAMInBytes). */
export function parseMemory(value: string | number): number {
  if (typeof value === 'number') return value;
  const match = /^(\d+(?:\.\d+)?)([bkmg]?)$/i.exec(value);
  if (!match) return Number.NaN;
  return Math.round(Number(match[1]) * MEMORY_UNITS[(match[2] || 'b').toLowerCase()]);
}

export function formatMemory(bytes: number): string {
  for (const [unit, size] of [['G', 1024 ** 3], ['M', 1024 ** 2], ['k', 1024]] as const) {
    if (bytes >= size && bytes % size === 0) return `${bytes / size}${unit}`;
  }
  return `${bytes}B`;
}

/** "0.5" CPUs → NanoCPUs. */
export function parseCpus(value: string | number): number {
  return Math.round(Number(value) * 1e9);
}

export function formatCpus(nanoCpus: number): string {
  return String(nanoCpus / 1e9);
}
