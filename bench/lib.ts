/** Small helpers shared by the benchmarks: timing, medians and a plain table. */
export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

export async function timed<T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const start = performance.now();
  const value = await fn();
  return { ms: performance.now() - start, value };
}

export function table(rows: Array<Record<string, string | number>>): string {
  const headers = Object.keys(rows[0] ?? {});
  const cells = [headers, ...rows.map((row) => headers.map((h) => String(row[h])))];
  const widths = headers.map((_, i) => Math.max(...cells.map((line) => line[i].length)));
  return cells.map((line) => line.map((cell, i) => cell.padEnd(widths[i])).join('  ')).join('\n');
}

export const RUNS = Number(process.env.BENCH_RUNS ?? 5);

/** A target a figure is held to: at most or at least a value (in the figure's unit). */
export type Target = { atMost: number } | { atLeast: number };

export interface Figure {
  name: string;
  value: number;
  unit: string;
  target?: Target;
  /** The same quantity measured the plain way in the same run (a docker CLI script, a direct `docker exec`). */
  baseline?: { name: string; value: number };
}

export function meets(figure: Figure): boolean | undefined {
  if (!figure.target) return undefined;
  return 'atMost' in figure.target ? figure.value <= figure.target.atMost : figure.value >= figure.target.atLeast;
}

export const REPORT_PREFIX = 'BENCH_JSON ';

/** Prints a benchmark's figures as one machine-readable line; `npm run bench` collects these into one table. */
export function report(bench: string, figures: Figure[]): void {
  console.log(`${REPORT_PREFIX}${JSON.stringify({ bench, figures })}`);
}
