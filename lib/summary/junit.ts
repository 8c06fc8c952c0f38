// junit.xml: one test case per threshold so CI shows the gates; a failed one
// carries the observed value. The lag gate (GATE_LAG) reads as what it
// checks, "load generator kept its schedule"; skipped when the gate is off.
// The verdict (can the run be trusted?) is a property of the suite. A soak's
// drift and a spike's recovery are cases of their own: k6 cannot make them
// thresholds (they compare windows), so CI sees them here.
import { xml } from './escape.ts';
import { fixed, int } from './format.ts';
import type { SummaryModel } from './model.ts';
import type { Tables, ThresholdRow } from './tables.ts';

const LAG_CASE = 'load generator kept its schedule';

/** The lag figures in words: late starts, their share, the worst lag. */
function lagFigures(m: SummaryModel): string {
  const g = m.generator;
  if (!g || g.late === null) return 'schedule lag not measured';
  return `${int(g.late)} of ${int(m.totals.sent)} requests${g.lateShare === null ? '' : ` (${fixed(g.lateShare * 100, 2)} %)`} started over ${g.toleranceMs} ms late` +
    `, worst ${g.maxLagMs === null ? 'n/a' : `${int(g.maxLagMs)} ms`}`;
}

/** A soak: "no drift" fails when degrading; a spike: "recovered after the spike" fails when it did not. Too short: skipped. */
function windowCasesOf(m: SummaryModel, cls: string): string[] {
  const w = m.windows;
  if (!w) return [];
  const [name, failed, headline] = w.kind === 'soak'
    ? ['soak: no drift', w.drift.status === 'degrading', w.drift.headline]
    : ['spike: recovered after the spike', !w.spike.recovered, w.spike.headline];
  const head = `    <testcase classname="${cls}.windows" name="${name}" time="0">`;
  if (w.kind === 'soak' && w.drift.status === 'too-short') return [`${head}\n      <skipped message="${xml(headline)}"/>\n    </testcase>`];
  return [failed ? `${head}\n      <failure message="${xml(headline)}" type="${w.kind}">${xml(headline)}</failure>\n    </testcase>` : `${head}</testcase>`];
}

export function renderJunit(m: SummaryModel, t: Tables): string {
  const time = fixed(m.durationMs / 1000, 3);
  const suite = `party-perf ${m.label}`;
  const cls = `party-perf.${xml(m.profile)}`;
  const v = t.trust;
  // A run that sent nothing fails a case of its own: its gates judged nothing.
  const notRun = t.verdict.word === 'NOT RUN'
    ? [`    <testcase classname="${cls}.run" name="planned requests were sent" time="0">\n      <failure message="${xml(t.verdict.line)}" type="not-run">${xml(t.verdict.line)}</failure>\n    </testcase>`]
    : [];
  const windowCases = windowCasesOf(m, cls);
  const failures = t.thresholds.filter((r) => !r.ok).length + notRun.length + windowCases.filter((c) => c.includes('<failure')).length;
  const caseOf = (r: ThresholdRow): string => {
    const name = r.lag ? `${LAG_CASE} (${r.name})` : r.name;
    const head = `    <testcase classname="${cls}.thresholds" name="${xml(name)}" time="0">`;
    if (r.ok) return `${head}</testcase>`;
    const msg = r.lag
      ? `${LAG_CASE}: ${lagFigures(m)}; ${r.name}, observed ${r.observed}.${v.advice ? ` ${v.advice}` : ''}`
      : `${r.name}: observed ${r.observed}`;
    return `${head}\n      <failure message="${xml(msg)}" type="threshold">${xml(msg)}</failure>\n    </testcase>`;
  };
  const cases = notRun.concat(t.thresholds.map(caseOf), windowCases);
  // GATE_LAG=off: the case is there, skipped, with what the lag was.
  let skipped = windowCases.filter((c) => c.includes('<skipped')).length;
  if (m.gates && m.gates.maxLateShare === null && m.generator && !t.thresholds.some((r) => r.lag)) {
    skipped++;
    const msg = `GATE_LAG=off: not a gate in this run; ${lagFigures(m)}`;
    cases.push(`    <testcase classname="${cls}.thresholds" name="${LAG_CASE}" time="0">\n      <skipped message="${xml(msg)}"/>\n    </testcase>`);
  }
  const props = v.recorded
    ? `    <properties>\n      <property name="verdict" value="${xml(v.status)}"/>\n      <property name="verdict.headline" value="${xml(v.headline)}"/>\n    </properties>\n`
    : '';
  const t0 = m.totals;
  const statuses = Object.keys(t0.statuses ?? {}).map((k) => `${k}: ${t0.statuses[k]}`).join(', ');
  const out = `${v.headline}${v.advice ? ` What to do: ${v.advice}` : ''}\n` +
    `planned ${t0.planned} / answered ${t0.answered} / no response ${t0.noResponse} / not sent ${t0.notSent} / not scheduled ${t0.notScheduled ?? 0} / not run ${t0.notRun}` +
    (statuses ? `; statuses other than expected: ${statuses}` : '') + (t.alert ? `\nWARNING: ${t.alert}` : '');
  return `<?xml version="1.0" encoding="UTF-8"?>\n` +
    `<testsuites name="party-perf" tests="${cases.length}" failures="${failures}" errors="0" time="${time}">\n` +
    `  <testsuite name="${xml(suite)}" tests="${cases.length}" failures="${failures}" errors="0" skipped="${skipped}" time="${time}" timestamp="${xml(m.startTime.replace(/\.\d+Z$/, ''))}">\n` +
    props +
    (cases.length ? cases.join('\n') + '\n' : '') +
    `    <system-out>${xml(out)}</system-out>\n` +
    `  </testsuite>\n</testsuites>\n`;
}
