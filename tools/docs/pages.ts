// The pages docs/images/*.png show, as HTML, each from the fixture
// tools/docs/images.ts names, and how much of each the picture keeps. An
// input of every picture: a change here marks them all stale.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { renderHtml as reportHtml } from '../../lib/summary/html.ts';
import { buildTables } from '../../lib/summary/tables.ts';
import { renderHtml as capacityHtml } from '../capacity/render.ts';
import { compare } from '../compare/diff.ts';
import { renderHtml as compareHtml } from '../compare/html.ts';
import { plot } from '../plot/index.ts';
import { capacityReport } from './capacity-report.ts';
import { compareRuns, modelOf, PLOT_FIXTURE, SPIKE_ENV, SPIKE_FIXTURE, SPIKE_NOW, SPIKE_RAW, SUITE_ENV, SUITE_FIXTURE, SUITE_NOW } from './fixtures.ts';
import type { ImageName } from './images.ts';

/** The browser window: a common laptop's width, less its scroll bar. */
export const VIEWPORT = { width: 1200, height: 900 } as const;
/** The top of each page, at most: enough to show what it is, small enough to keep a PNG under 400 KB. */
export const CLIP_HEIGHT = 1400;
export const MAX_PNG_BYTES = 400 * 1024;

/** plot() writes its page; a temporary folder keeps the repository clean. */
async function plotHtml(input: string, options: { sloMs?: number; successRate?: number; profile?: string }): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'party-perf-docs-plot-'));
  try {
    const r = await plot([input], { ...options, out: join(dir, 'plot.html') });
    return readFileSync(r.htmlPath, 'utf8');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function pageHtml(name: ImageName, root: string): Promise<string> {
  switch (name) {
    case 'report': {
      const m = modelOf(root, SUITE_FIXTURE, SUITE_ENV, SUITE_NOW);
      return reportHtml(m, buildTables(m));
    }
    case 'plot':
      return plotHtml(join(root, PLOT_FIXTURE), {});
    case 'spike-report': {
      const m = modelOf(root, SPIKE_FIXTURE, SPIKE_ENV, SPIKE_NOW);
      return reportHtml(m, buildTables(m));
    }
    case 'spike-plot':
      // The run's own gates, as npm start reads them from its summary.json.
      return plotHtml(join(root, SPIKE_RAW), { sloMs: Number(SPIKE_ENV.GATE_P95), successRate: 0.99, profile: 'spike' });
    case 'compare':
      return compareHtml(compare(compareRuns(root)), []);
    case 'capacity':
      return capacityHtml(capacityReport());
  }
}
