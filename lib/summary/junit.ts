// junit.xml: one test case per threshold so CI shows the gates; a failed one
// carries the observed value.
import { xml } from './escape.ts';
import { fixed } from './format.ts';
import type { SummaryModel } from './model.ts';
import type { Tables } from './tables.ts';

export function renderJunit(m: SummaryModel, t: Tables): string {
  const time = fixed(m.durationMs / 1000, 3);
  const suite = `party-perf ${m.label}`;
  // A run that sent nothing fails a case of its own: its gates judged nothing.
  const notRun = t.verdict.word === 'NOT RUN'
    ? [`    <testcase classname="party-perf.${xml(m.profile)}.run" name="planned requests were sent" time="0">\n      <failure message="${xml(t.verdict.line)}" type="not-run">${xml(t.verdict.line)}</failure>\n    </testcase>`]
    : [];
  const failures = t.thresholds.filter((r) => !r.ok).length + notRun.length;
  const cases = notRun.concat(t.thresholds.map((r) => {
    const head = `    <testcase classname="party-perf.${xml(m.profile)}.thresholds" name="${xml(r.name)}" time="0">`;
    if (r.ok) return `${head}</testcase>`;
    const msg = `${r.name}: observed ${r.observed}`;
    return `${head}\n      <failure message="${xml(msg)}" type="threshold">${xml(msg)}</failure>\n    </testcase>`;
  }));
  const t0 = m.totals;
  const statuses = Object.keys(t0.statuses ?? {}).map((k) => `${k}: ${t0.statuses[k]}`).join(', ');
  const out = `planned ${t0.planned} / answered ${t0.answered} / no response ${t0.noResponse} / not sent ${t0.notSent} / not scheduled ${t0.notScheduled ?? 0} / not run ${t0.notRun}` +
    (statuses ? `; statuses other than expected: ${statuses}` : '') + (t.alert ? `\nWARNING: ${t.alert}` : '');
  return `<?xml version="1.0" encoding="UTF-8"?>\n` +
    `<testsuites name="party-perf" tests="${cases.length}" failures="${failures}" errors="0" time="${time}">\n` +
    `  <testsuite name="${xml(suite)}" tests="${cases.length}" failures="${failures}" errors="0" skipped="0" time="${time}" timestamp="${xml(m.startTime.replace(/\.\d+Z$/, ''))}">\n` +
    (cases.length ? cases.join('\n') + '\n' : '') +
    `    <system-out>${xml(out)}</system-out>\n` +
    `  </testsuite>\n</testsuites>\n`;
}
