// The replay's runs next to the report's own published results: Overall
// success per offset, each replayed preset beside the report's run of the
// same service, with the difference. Pure: works on compare()'s output.
import { fixed } from '../../lib/summary/format.ts';
import { percents } from '../../lib/summary/format.ts';
import type { SummaryModel } from '../../lib/summary/model.ts';
import type { Comparison } from '../compare/diff.ts';

/** What the report published for the service each preset models. */
export interface Counterpart {
  /** Column heading. */
  label: string;
  /** Label of a published result set (test/fixtures/compare/<label>.summary.json)... */
  published?: string;
  /** ...or one figure the report gave for every offset. */
  constant?: number;
  note: string;
}

export const COUNTERPARTS: Record<string, Counterpart> = {
  'report-baseline': { label: 'Docker (report)', published: 'docker', note: 'the report\'s baseline, "Against Docker Image"' },
  // The report ran 100 connections on one route only (4000 requests, all 200): no Overall rows.
  'pool-100': { label: '100 conn. (report)', constant: 100, note: 'the report\'s "Single route with 100 connections": 4000 of 4000 succeeded (no per-offset rows published)' },
  cached: { label: 'SimpleCache (report)', published: 'simplecache', note: 'the report\'s "Results with SimpleCache basic caching"' },
};

/** The report's result sets, in its order. */
export const PUBLISHED = ['docker', 'gunicorn', 'simplecache'] as const;

export interface SideCell { replay: number | null; report: number | null; diff: number | null }
export interface SideRow { reportOffset: number; replayOffset: number; cells: SideCell[] }
export interface SideBySide { presets: string[]; headings: string[]; rows: SideRow[] }

const round2 = (n: number): number => Math.round(n * 100) / 100;

/**
 * Overall success per offset: `replay` compares the replayed presets (offsets
 * in replay ms), `published` the report's result sets (offsets in report ms);
 * `reportOffsetOf` maps one to the other.
 */
export function sideBySide(replay: Comparison, published: Comparison, reportOffsetOf: Map<number, number>): SideBySide {
  const presets = replay.runs.map((r) => r.label);
  const publishedColumn = (label: string) => published.runs.findIndex((r) => r.label === label);
  const rows: SideRow[] = [];
  for (const row of replay.overall.rows) {
    const replayOffset = Number(row.label);
    const reportOffset = reportOffsetOf.get(replayOffset);
    if (reportOffset === undefined) continue;
    const pubRow = published.overall.rows.find((r) => Number(r.label) === reportOffset);
    rows.push({
      reportOffset,
      replayOffset,
      cells: presets.map((p, i) => {
        const replayValue = row.cells[i]?.value ?? null;
        const cp = COUNTERPARTS[p];
        let report: number | null = null;
        if (cp?.constant !== undefined) report = cp.constant;
        else if (cp?.published !== undefined && pubRow) {
          const col = publishedColumn(cp.published);
          report = col >= 0 ? pubRow.cells[col]?.value ?? null : null;
        }
        const diff = replayValue !== null && report !== null ? round2(replayValue - report) : null;
        return { replay: replayValue, report, diff };
      }),
    });
  }
  return { presets, headings: presets.map((p) => COUNTERPARTS[p]?.label ?? 'report'), rows };
}

export interface FailureShares { label: string; success: number; noResponse: number; serverError: number; other: number; notSent: number }

/** A whole run's classes as % of planned (the report's columns, summed over every cell); Not sent includes not run and not scheduled. */
export function failureShares(m: SummaryModel): FailureShares {
  const t = m.totals;
  const other = t.classes.not_found + t.classes.other + t.classes.invalid;
  const [success, noResponse, serverError, o, notSent] = percents(
    [t.classes.success, t.classes.no_response, t.classes.server_error, other, t.notSent + t.notRun + t.notScheduled], t.planned);
  return { label: m.label, success: success!, noResponse: noResponse!, serverError: serverError!, other: o!, notSent: notSent! };
}

export const signed = (n: number | null): string => (n === null ? 'n/a' : `${n > 0 ? '+' : ''}${fixed(n, 2)}`);
export const pct = (n: number | null): string => (n === null ? 'n/a' : fixed(n, 2));
