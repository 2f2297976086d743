import { stringify } from 'csv-stringify/sync';
import { renderFailure, type FindingLanguage } from '../../shared/i18n/render-finding.js';
import type { GradeReport } from './grade-report.js';

/**
 * A cell a spreadsheet would read as a formula (`=`, `+`, `-`, `@`, tab, carriage return first) gets a leading
 * `'`, so a display name such as `=HYPERLINK(…)` stays text (OWASP "CSV injection"). Numbers stay numbers.
 */
export function csvCell(value: string | number): string | number {
  return typeof value === 'string' && /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

/**
 * One row per learner, one column per check (points counted), then the total and the rule that graded it
 * (`earned` or `final-state`): for a spreadsheet or an LMS import.
 */
export function reportsToCsv(reports: GradeReport[]): string {
  const checks = reports[0]?.checks ?? [];
  const header = ['learner', ...checks.map((c) => `${c.id} ${c.title} (${c.possible})`), 'total', 'possible', 'rule'];
  const rows = reports.map((r) => [r.learner, ...r.checks.map((c) => c.earned), r.earned, r.possible, r.rule]);
  return stringify([header, ...rows].map((row) => row.map(csvCell)));
}

function xml(text: string): string {
  return text.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c]!);
}

/**
 * JUnit XML: a test suite per learner, a test case per check; failed checks carry expected and actual state,
 * worded in `lang`. Each suite names its grading rule as a property (`grading.rule`), and each earned check when
 * it was earned.
 */
export function reportsToJunit(reports: GradeReport[], lang: FindingLanguage = 'en'): string {
  const suites = reports.map((report) => {
    const failures = report.checks.filter((c) => !c.passed).length;
    const cases = report.checks.map((check) => {
      const name = `step ${check.step + 1}: ${check.title} (${check.earned}/${check.possible} points)`;
      const when = check.earnedAt ? `\n      <properties><property name="earned_at" value="${xml(check.earnedAt)}"/></properties>\n    ` : '';
      if (check.passed) return when ? `    <testcase classname="${xml(report.lesson)}" name="${xml(name)}">${when}</testcase>` : `    <testcase classname="${xml(report.lesson)}" name="${xml(name)}"/>`;
      const message = check.failures.map((f) => renderFailure(f, lang)).join('; ');
      const body = check.failures.map((f) => `${renderFailure(f, lang)}${f.expected !== undefined ? `\n  expected: ${f.expected}\n  actual:   ${f.actual}` : ''}`).join('\n');
      return `    <testcase classname="${xml(report.lesson)}" name="${xml(name)}">\n      <failure message="${xml(message)}">${xml(body)}</failure>\n    </testcase>`;
    });
    return `  <testsuite name="${xml(`${report.learner}: ${report.lessonTitle}`)}" tests="${report.checks.length}" failures="${failures}" errors="0">\n    <properties><property name="grading.rule" value="${xml(report.rule)}"/></properties>\n${cases.join('\n')}\n  </testsuite>`;
  });
  const tests = reports.reduce((n, r) => n + r.checks.length, 0);
  const failures = reports.reduce((n, r) => n + r.checks.filter((c) => !c.passed).length, 0);
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="swarm workshop grading" tests="${tests}" failures="${failures}">\n${suites.join('\n')}\n</testsuites>\n`;
}

/** The reports as data; each failure's message in `lang` (its findings stay, for any other language). */
export function reportsToJson(reports: GradeReport[], lang: FindingLanguage = 'en'): string {
  const worded = lang === 'en' ? reports : reports.map((r) => ({
    ...r,
    checks: r.checks.map((c) => ({ ...c, failures: c.failures.map((f) => ({ ...f, message: renderFailure(f, lang) })) })),
  }));
  return `${JSON.stringify({ reports: worded }, null, 2)}\n`;
}

export type ExportFormat = 'csv' | 'junit' | 'json';

/** A report file; `lang` words the findings (CSV has none: its headers and cells stay machine-readable). */
export function exportReports(reports: GradeReport[], format: ExportFormat, lang: FindingLanguage = 'en'): { body: string; contentType: string; extension: string } {
  switch (format) {
    case 'csv': return { body: reportsToCsv(reports), contentType: 'text/csv; charset=utf-8', extension: 'csv' };
    case 'junit': return { body: reportsToJunit(reports, lang), contentType: 'application/xml; charset=utf-8', extension: 'xml' };
    case 'json': return { body: reportsToJson(reports, lang), contentType: 'application/json; charset=utf-8', extension: 'json' };
  }
}
