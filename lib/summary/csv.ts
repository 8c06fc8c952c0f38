// tables.csv: one row per scenario and column class (plus not sent / not
// run), counts and percentages, for spreadsheets. The scenario's late starts,
// its worst lag and the run's verdict close every row (blank: not measured).
import Papa from 'papaparse';
import { baseOf } from './build.ts';
import { fixed, percents } from './format.ts';
import type { SummaryModel } from './model.ts';
import { cellCounts, columnKeys } from './tables.ts';

export const CSV_FIELDS = ['label', 'scenario', 'route', 'route_label', 'count', 'offset_ms', 'planned', 'class', 'requests', 'percent', 'late', 'max_lag_ms', 'verdict'];

export function renderCsv(m: SummaryModel): string {
  const keys = columnKeys(m);
  const verdict = m.verdict ? m.verdict.status : 'not-judged';
  const rows: Array<Array<string | number>> = [];
  for (const s of m.scenarios) {
    const counts = cellCounts(s, keys);
    const pcts = percents(counts, baseOf(s));
    const sch = s.schedule;
    const late = sch ? sch.late : '';
    const lag = sch && sch.maxLagMs !== null ? sch.maxLagMs : '';
    keys.forEach((k, i) => rows.push([m.label, s.name, s.route, s.routeLabel, s.count, s.offset, s.planned, k, counts[i]!, fixed(pcts[i], 2), late, lag, verdict]));
  }
  return Papa.unparse({ fields: CSV_FIELDS, data: rows }, { newline: '\n' }) + '\n';
}
