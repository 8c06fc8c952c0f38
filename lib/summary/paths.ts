// Where the results go. k6's handleSummary cannot create folders, so:
//  - SUMMARY_DIR set (the `npm start` runner creates summaries/<label>-<stamp>/):
//    <SUMMARY_DIR>/summary.json, report.md, report.html, tables.csv, junit.xml
//  - unset (plain `k6 run dist/report.js`; the committed summaries/ exists):
//    summaries/<label>-<YYYYMMDD-HHMMSS>.summary.json, .report.md, ... (UTC)
import { stamp } from './format.ts';

export const FILES = {
  summary: 'summary.json',
  markdown: 'report.md',
  html: 'report.html',
  csv: 'tables.csv',
  junit: 'junit.xml',
} as const;
export type FileKind = keyof typeof FILES;

/** Label safe in a file name (config already enforces this; the fallback path may not have). */
export const safeLabel = (label: string): string => label.replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 64) || 'run';

export function outputPaths(summaryDir: string | null, label: string, now: number): Record<FileKind, string> {
  const out = {} as Record<FileKind, string>;
  const kinds = Object.keys(FILES) as FileKind[];
  if (summaryDir) {
    const dir = summaryDir.length > 1 ? summaryDir.replace(/[/\\]+$/, '') : summaryDir;
    const sep = dir.endsWith('/') ? '' : '/';
    for (const k of kinds) out[k] = `${dir}${sep}${FILES[k]}`;
  } else {
    const base = `summaries/${safeLabel(label)}-${stamp(now)}`;
    for (const k of kinds) out[k] = `${base}.${FILES[k]}`;
  }
  return out;
}
