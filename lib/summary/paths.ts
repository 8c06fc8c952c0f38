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

/**
 * `here`: SUMMARY_DIR unset and the first init context found no summaries/
 * folder where k6 runs, so the files go into that folder itself.
 */
export function outputPaths(summaryDir: string | null, label: string, now: number, here = false): Record<FileKind, string> {
  const out = {} as Record<FileKind, string>;
  const kinds = Object.keys(FILES) as FileKind[];
  if (summaryDir) {
    const dir = summaryDir.length > 1 ? summaryDir.replace(/[/\\]+$/, '') : summaryDir;
    const sep = dir.endsWith('/') ? '' : '/';
    for (const k of kinds) out[k] = `${dir}${sep}${FILES[k]}`;
  } else {
    const base = `${here ? '' : 'summaries/'}${safeLabel(label)}-${stamp(now)}`;
    for (const k of kinds) out[k] = `${base}.${FILES[k]}`;
  }
  return out;
}

/** The folder handleSummary will write into, absolute, as the first init context can probe it. */
export interface ResultsFolder {
  path: string;
  /** SUMMARY_DIR names it (else it is the default summaries/). */
  named: boolean;
  /** Resolved against PWD: a guess, never grounds to refuse a run. */
  relative: boolean;
}

const ABSOLUTE = /^(\/|[A-Za-z]:[\\/])/;

/**
 * Where the results will go, or null when that is not worth probing in the
 * init context. Only `k6 run` hands a script the system environment (so
 * PWD): `k6 archive`, `k6 inspect` and `k6 cloud`'s local step do not, and
 * write no results where they run, so without PWD nothing is probed; nor in
 * k6 cloud. A relative folder is resolved against PWD, which a program that
 * starts k6 in another folder may have left stale: `relative` marks that
 * guess (k6 writes relative to the folder it runs in; open() reads relative
 * to the script).
 */
export function resultsFolder(env: Readonly<Record<string, string | undefined>>): ResultsFolder | null {
  const pwd = env.PWD || '';
  if (env.K6_CLOUDRUN_INSTANCE_ID || !pwd) return null;
  const named = env.SUMMARY_DIR || '';
  const dir = (named || 'summaries').replace(/(.)[/\\]+$/, '$1');
  if (ABSOLUTE.test(dir)) return { path: dir, named: named !== '', relative: false };
  if (!pwd.startsWith('/')) return null;
  return { path: `${pwd.replace(/\/+$/, '')}/${dir.replace(/^\.\//, '')}`.replace(/\/\.$/, ''), named: named !== '', relative: true };
}

/**
 * A folder every Unix machine has and no k6 archive holds (an archive holds
 * only the files a script opened, and their folders): when k6 runs from an
 * archive (`k6 run x.tar`, k6 cloud) open() sees the archive alone, so a
 * results folder would look missing. Probe the results folder only when this
 * one looks like a folder (never on Windows, which has none: no check there).
 */
export const REAL_FILES_PROBE = '/dev';

export type FolderState = 'folder' | 'missing' | 'file' | 'unknown';

/** What k6's open() of a path said about it: it opens files only (null: it opened one). */
export function folderState(openError: string | null): FolderState {
  if (openError === null) return 'file';
  if (/used with directories|is a directory/i.test(openError)) return 'folder';
  if (/no such file or directory|does not exist/i.test(openError)) return 'missing';
  return 'unknown';
}

/** What is wrong with a SUMMARY_DIR handleSummary could not write into (it cannot create folders); null when nothing is. */
export function resultsFolderProblem(f: ResultsFolder, state: FolderState): string | null {
  if (state !== 'missing' && state !== 'file') return null;
  return `SUMMARY_DIR=${f.path}${f.relative ? ' (resolved against PWD)' : ''}: ${state === 'missing' ? 'no such folder' : 'a file, not a folder'}, and k6 cannot create folders for the results: ` +
    `create it first (mkdir -p ${f.path}), or leave SUMMARY_DIR unset to write into summaries/ (npm start makes a folder per run)`;
}
