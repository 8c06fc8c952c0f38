// Records a k6 run that went to Prometheus (k6 run -o experimental-prometheus-rw
// --tag testid=ID) as OpenMetrics text, every raw sample of every series
// with that testid: the fixture test/prometheus.test.ts backfills with
// promtool. Usage: npx tsx tools/prometheus/dump.ts <prometheus URL> <testid> > run.om
import { pathToFileURL } from 'node:url';

interface Series { metric: Record<string, string>; values: Array<[number, string]> }

const escape = (v: string): string => v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');

/** Series (a range query's matrix) -> OpenMetrics text, families together, `# EOF` last. */
export function openMetrics(series: Series[]): string {
  const byName = new Map<string, Series[]>();
  for (const s of series) {
    const name = s.metric.__name__!;
    byName.set(name, [...(byName.get(name) ?? []), s]);
  }
  const out: string[] = [];
  for (const name of [...byName.keys()].sort()) {
    out.push(`# TYPE ${name} unknown`);
    for (const s of byName.get(name)!) {
      const labels = Object.keys(s.metric).filter((k) => k !== '__name__').sort().map((k) => `${k}="${escape(s.metric[k]!)}"`).join(',');
      for (const [t, v] of s.values) out.push(`${name}{${labels}} ${v} ${t}`);
    }
  }
  out.push('# EOF');
  return out.join('\n') + '\n';
}

async function main(url: string, testid: string): Promise<void> {
  const q = new URL('/api/v1/query', url);
  q.searchParams.set('query', `{testid="${testid}"}[1d]`);
  const res = (await (await fetch(q)).json()) as { status: string; error?: string; data: { result: Series[] } };
  if (res.status !== 'success') throw new Error(`${url}: ${res.error}`);
  if (res.data.result.length === 0) throw new Error(`${url} has no series with testid="${testid}"`);
  process.stdout.write(openMetrics(res.data.result));
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const [url, testid] = process.argv.slice(2);
  if (!url || !testid) {
    console.error('Usage: npx tsx tools/prometheus/dump.ts <prometheus URL> <testid> > run.om');
    process.exit(2);
  }
  main(url, testid).catch((e: Error) => { console.error(`dump: ${e.message}`); process.exit(1); });
}
