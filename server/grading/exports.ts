import { stringify } from 'csv-stringify/sync';
import type { GradeReport } from './grade-report.js';

/**
 * A cell a spreadsheet would read as a formula (`=`, `+`, `-`, `@`, tab, carriage return first) gets a leading
 * `'`, so a display name such as `=HYPERLINK(…)` stays text (OWASP "CSV injection"). Numbers stay numbers.
 */
export function csvCell(value: string | number): string | number {
  return typeof value === 'string' && /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

/** One row per learner, one column per check (points earned), then the total: for a spreadsheet or an LMS import. */
export function reportsToCsv(reports: GradeReport[]): string {
  const checks = reports[0]?.checks ?? [];
  const header = ['learner', ...checks.map((c) => `${c.id} ${c.title} (${c.possible})`), 'total', 'possible'];
  const rows = reports.map((r) => [r.learner, ...r.checks.map((c) => c.earned), r.earned, r.possible]);
  return stringify([header, ...rows].map((row) => row.map(csvCell)));
}

function xml(text: string): string {
  return text.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c]!);
}

/** JUnit XML: a test suite per learner, a test case per check; failed checks carry expected and actual state. */
export function reportsToJunit(reports: GradeReport[]): string {
  const suites = reports.map((report) => {
    const failures = report.checks.filter((c) => !c.passed).length;
    const cases = report.checks.map((check) => {
      const name = `step ${check.step + 1}: ${check.title} (${check.earned}/${check.possible} points)`;
      if (check.passed) return `    <testcase classname="${xml(report.lesson)}" name="${xml(name)}"/>`;
      const message = check.failures.map((f) => f.message).join('; ');
      const body = check.failures.map((f) => `${f.message}${f.expected !== undefined ? `\n  expected: ${f.expected}\n  actual:   ${f.actual}` : ''}`).join('\n');
      return `    <testcase classname="${xml(report.lesson)}" name="${xml(name)}">\n      <failure message="${xml(message)}">${xml(body)}</failure>\n    </testcase>`;
    });
    return `  <testsuite name="${xml(`${report.learner}: ${report.lessonTitle}`)}" tests="${report.checks.length}" failures="${failures}" errors="0">\n${cases.join('\n')}\n  </testsuite>`;
  });
  const tests = reports.reduce((n, r) => n + r.checks.length, 0);
  const failures = reports.reduce((n, r) => n + r.checks.filter((c) => !c.passed).length, 0);
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="swarm workshop grading" tests="${tests}" failures="${failures}">\n${suites.join('\n')}\n</testsuites>\n`;
}

export function reportsToJson(reports: GradeReport[]): string {
  return `${JSON.stringify({ reports }, null, 2)}\n`;
}

export type ExportFormat = 'csv' | 'junit' | 'json';

export function exportReports(reports: GradeReport[], format: ExportFormat): { body: string; contentType: string; extension: string } {
  switch (format) {
    case 'csv': return { body: reportsToCsv(reports), contentType: 'text/csv; charset=utf-8', extension: 'csv' };
    case 'junit': return { body: reportsToJunit(reports), contentType: 'application/xml; charset=utf-8', extension: 'xml' };
    case 'json': return { body: reportsToJson(reports), contentType: 'application/json; charset=utf-8', extension: 'json' };
  }
}
