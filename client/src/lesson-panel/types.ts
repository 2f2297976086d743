import type { Finding } from './findings.js';

/** The state the panel shows for one check: kept as data, so it is put into words in whatever language is active. */
export interface CheckState {
  /** skipped: a check of a step the server caught up (its solution ran): it holds, and earns nothing. */
  status: 'unchecked' | 'passed' | 'failed' | 'skipped';
  /** What failed, as the server said it (rendered in the reader's language by check-list). */
  findings: Finding[];
  /** The check could not run at all: the reason. */
  error?: string;
  hint?: string;
  earned: number;
}
