// junit.xml: one test case per threshold so CI shows the gates; a failed one
// carries the observed value.
import { xml } from './escape.ts';
import { fixed } from './format.ts';
import type { SummaryModel } from './model.ts';
import type { Tables } from './tables.ts';

export function renderJunit(m: SummaryModel, t: Tables): string {
  const failures = t.thresholds.filter((r) => !r.ok).length;
  const time = fixed(m.durationMs / 1000, 3);
  const suite = `party-perf ${m.label}`;
  const cases = t.thresholds.map((r) => {
    const head = `    <testcase classname="party-perf.${xml(m.profile)}.thresholds" name="${xml(r.name)}" time="0">`;
    if (r.ok) return `${head}</testcase>`;
    const msg = `${r.name}: observed ${r.observed}`;
    return `${head}\n      <failure message="${xml(msg)}" type="threshold">${xml(msg)}</failure>\n    </testcase>`;
  });
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
