import cliProgress from 'cli-progress';

/** One step of start-up (building an image, unpacking packages); `total` once the amount of work is known. */
export interface Phase {
  update(done: number, total?: number, detail?: string): void;
  end(summary?: string): void;
  fail(message: string): void;
}

/**
 * How start-up reports what it is doing. On a terminal: one line per phase, a bar with an estimate for the slow
 * ones, the elapsed time when each ends. Otherwise (CI, a log collector, or when asked): structured JSON lines.
 */
export interface Progress {
  phase(title: string): Phase;
  /** A line of detail: kept in JSON logs, left out on a terminal unless it is a warning. */
  note(line: string, level?: 'info' | 'warn'): void;
}

const seconds = (startedAt: number) => `${((performance.now() - startedAt) / 1000).toFixed(1)} s`;

export function terminalProgress(stream: NodeJS.WriteStream = process.stdout): Progress {
  return {
    phase(title) {
      const startedAt = performance.now();
      let bar: cliProgress.SingleBar | undefined;
      const start = (total: number) => {
        bar = new cliProgress.SingleBar(
          { stream, format: `  {bar} {percentage}% | {detail} | {duration_formatted}, about {eta_formatted} left`, hideCursor: true, clearOnComplete: true, barsize: 24, etaBuffer: 20 },
          cliProgress.Presets.shades_classic,
        );
        bar.start(total, 0, { detail: '' });
      };
      stream.write(`• ${title} …\n`);
      return {
        update(done, total, detail = '') {
          if (total === undefined) return;
          if (!bar) start(total);
          bar!.setTotal(total);
          bar!.update(done, { detail });
        },
        end(summary) {
          bar?.stop();
          stream.write(`\x1b[1A\x1b[2K✔ ${summary ?? title}  (${seconds(startedAt)})\n`);
        },
        fail(message) {
          bar?.stop();
          stream.write(`✘ ${title} failed after ${seconds(startedAt)}: ${message}\n`);
        },
      };
    },
    note(line, level = 'info') {
      if (level === 'warn') stream.write(`  ! ${line}\n`);
    },
  };
}

/** JSON lines, one per phase start and end, and progress at most every tenth of the way. */
export function jsonProgress(write: (record: Record<string, unknown>, level: 'info' | 'warn') => void): Progress {
  return {
    phase(title) {
      const startedAt = performance.now();
      let reportedTenth = -1;
      write({ phase: title, state: 'started' }, 'info');
      return {
        update(done, total, detail) {
          if (!total) return;
          const tenth = Math.floor((done / total) * 10);
          if (tenth === reportedTenth) return;
          reportedTenth = tenth;
          write({ phase: title, state: 'progress', done, total, ...(detail ? { detail } : {}) }, 'info');
        },
        end(summary) {
          write({ phase: title, state: 'done', seconds: Number(((performance.now() - startedAt) / 1000).toFixed(1)), ...(summary ? { summary } : {}) }, 'info');
        },
        fail(message) {
          write({ phase: title, state: 'failed', error: message }, 'warn');
        },
      };
    },
    note(line, level = 'info') {
      // The level goes to the logger as its level, never as a field: a second `level` key breaks JSON readers.
      write({ msg: line }, level);
    },
  };
}

/** Terminal progress when stdout is a terminal and JSON was not asked for. */
export function chooseProgress(format: 'auto' | 'pretty' | 'json', jsonLine: (record: Record<string, unknown>, level: 'info' | 'warn') => void): Progress {
  const pretty = format === 'pretty' || (format === 'auto' && process.stdout.isTTY === true);
  return pretty ? terminalProgress() : jsonProgress(jsonLine);
}
