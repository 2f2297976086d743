import { describe, expect, it } from 'vitest';
import { csvCell, reportsToCsv } from '../../../server/grading/exports.js';
import type { GradeReport } from '../../../server/grading/grade-report.js';

describe('CSV cells against formula injection', () => {
  it('prefixes a cell a spreadsheet would evaluate', () => {
    for (const start of ['=', '+', '-', '@', '\t', '\r']) expect(csvCell(`${start}SUM(A1)`)).toBe(`'${start}SUM(A1)`);
    expect(csvCell('Ada')).toBe('Ada');
    expect(csvCell('a=b')).toBe('a=b');
    expect(csvCell(-3)).toBe(-3);
  });

  it('a display name starting a formula reaches the CSV as text', () => {
    const report: GradeReport = { learner: '=HYPERLINK("http://x","y")', lesson: 'l', lessonTitle: 'L', earned: 0, possible: 0, passed: true, rule: 'earned', checks: [] };
    const line = reportsToCsv([report]).trim().split('\n')[1];
    expect(line).toBe(`"'=HYPERLINK(""http://x"",""y"")",0,0,earned`);
  });
});
