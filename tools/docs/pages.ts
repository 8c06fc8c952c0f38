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
import { compareRuns, modelOf, PLOT_FIXTURE, SUITE_ENV, SUITE_FIXTURE, SUITE_NOW } from './fixtures.ts';
import type { ImageName } from './images.ts';

/** The browser window: a common laptop's width, less its scroll bar. */
export const VIEWPORT = { width: 1200, height: 900 } as const;
/** The top of each page, at most: enough to show what it is, small enough to keep a PNG under 400 KB. */
export const CLIP_HEIGHT = 1400;
export const MAX_PNG_BYTES = 400 * 1024;

export async function pageHtml(name: ImageName, root: string): Promise<string> {
  switch (name) {
    case 'report': {
      const m = modelOf(root, SUITE_FIXTURE, SUITE_ENV, SUITE_NOW);
      return reportHtml(m, buildTables(m));
    }
    case 'plot': {
      // plot() writes its page; a temporary folder keeps the repository clean.
      const dir = mkdtempSync(join(tmpdir(), 'party-perf-docs-plot-'));
      try {
        const r = await plot([join(root, PLOT_FIXTURE)], { out: join(dir, 'plot.html') });
        return readFileSync(r.htmlPath, 'utf8');
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }
    case 'compare':
      return compareHtml(compare(compareRuns(root)), []);
    case 'capacity':
      return capacityHtml(capacityReport());
  }
}
