// handleSummary: k6's end-of-test data -> the summary model -> every format.
// Bundled alone by build.mjs and embedded as text (compiled only here), so it
// may use papaparse and the pure lib modules but no k6 module, Node or
// browser global. It never throws: each renderer is isolated, and
// summary.json is written even when the model cannot be built.
import { parseConfig, type Config, type Env } from '../config.ts';
import { buildSummary, runFromConfig, type RunInput } from './build.ts';
import { renderCsv } from './csv.ts';
import { renderHtml } from './html.ts';
import { readK6Data } from './k6data.ts';
import { renderJunit } from './junit.ts';
import { renderMarkdown } from './markdown.ts';
import type { SummaryModel } from './model.ts';
import { SUMMARY_VERSION } from './model.ts';
import { iso } from './format.ts';
import { outputPaths, safeLabel, type FileKind } from './paths.ts';
import { redactor, stripUserinfo } from './redact.ts';
import { buildTables, type Tables } from './tables.ts';
import { renderText } from './text.ts';
import { shareOf } from '../segment.ts';

export interface SummaryContext {
  env: Env;
  profile: string;
  seed: number;
  now: number;
  /** k6's executionSegment / executionSegmentSequence (exec.test.options); null or absent when unset. */
  segment?: string | null;
  sequence?: string | null;
  /** SUMMARY_DIR unset and no summaries/ folder where k6 runs: write into that folder (lib/summary/paths.ts). */
  resultsHere?: boolean;
}

const message = (e: unknown): string => (e instanceof Error ? e.message : String(e)).split('\n').join(' ');

function fallbackRun(env: Env, profile: string, seed: number | null, k6Version: string | null): RunInput {
  return {
    plan: null,
    label: safeLabel(env.LABEL || env.PROFILE || profile || 'run'),
    profile: env.PROFILE || profile || 'unknown',
    target: env.BASE_URL ? stripUserinfo(env.BASE_URL) : null,
    seed, k6Version,
  };
}

export function handleSummary(data: object, ctx: SummaryContext): Record<string, string> {
  const c = (ctx || {}) as Partial<SummaryContext>;
  const env: Env = c.env && typeof c.env === 'object' ? c.env : {};
  const redact = redactor(env);
  const now = typeof c.now === 'number' && isFinite(c.now) ? c.now : Date.now();
  const seed = typeof c.seed === 'number' ? c.seed : null;
  const k6Version = env.K6_VERSION || null;
  const failures: string[] = [];
  const out: Record<string, string> = {};
  let summaryPath = `${c.resultsHere === true ? '' : 'summaries/'}party-perf.summary.json`;
  try {
    let config: Config | null = null;
    try {
      config = parseConfig(env, c.profile || 'report');
    } catch (e) {
      failures.push(`configuration: ${message(e)}`);
    }
    const run = config ? runFromConfig(config, seed, k6Version) : fallbackRun(env, c.profile || '', seed, k6Version);
    if (config && (c.segment || c.sequence)) {
      try {
        run.segment = shareOf(config.plan, c.segment, c.sequence);
      } catch (e) {
        failures.push(`execution segment ${c.segment || ''} (${c.sequence || 'no sequence'}): ${message(e)}; counted against the whole plan`);
      }
    }
    const paths = outputPaths(config ? config.summaryDir : env.SUMMARY_DIR || null, run.label, now, c.resultsHere === true);
    // Instances of one distributed run share their arguments, often a folder
    // too: the segment in each file name keeps them apart (npm run merge).
    if (run.segment) {
      const tag = `segment-${run.segment.segment.replace(/\//g, '_').replace(':', '-')}.`;
      for (const k of Object.keys(paths) as FileKind[]) paths[k] = paths[k].replace(/[^/\\]*$/, (name) => tag + name);
    }
    summaryPath = paths.summary;

    let model: SummaryModel | null = null;
    try {
      model = buildSummary(data, run, now);
    } catch (e) {
      failures.push(`summary model: ${message(e)}`);
    }
    if (!model) {
      out[paths.summary] = minimalJson(data, failures, run.label, now);
      out.stdout = `\nparty-perf: the summary could not be built (${failures.join('; ')}).\nk6's raw metrics are in ${paths.summary}\n`;
    } else {
      out[paths.summary] = JSON.stringify(model, null, 2) + '\n';
      let tables: Tables | null = null;
      try {
        tables = buildTables(model);
      } catch (e) {
        failures.push(`tables: ${message(e)}`);
      }
      const m = model;
      const renderers: Array<[FileKind, () => string]> = [
        ['markdown', () => renderMarkdown(m, tables!)],
        ['html', () => renderHtml(m, tables!)],
        ['csv', () => renderCsv(m)],
        ['junit', () => renderJunit(m, tables!)],
      ];
      for (const [kind, render] of renderers) {
        try {
          if (!tables && kind !== 'csv') throw new Error('no tables');
          out[paths[kind]] = render();
        } catch (e) {
          failures.push(`${paths[kind]}: ${message(e)}`);
        }
      }
      const k6 = readK6Data(data);
      const written = Object.keys(out);
      try {
        if (!tables) throw new Error('no tables');
        out.stdout = renderText(m, tables, { color: k6.stdoutTTY && !k6.noColor, written, failures });
      } catch (e) {
        failures.push(`terminal summary: ${message(e)}`);
        out.stdout = `\nparty-perf: ${failures.join('\n  ')}\nResults written:\n  ${written.join('\n  ')}\n`;
      }
    }
  } catch (e) {
    // Last resort: something above threw outside its own guard.
    failures.push(message(e));
    out[summaryPath] = minimalJson(data, failures, 'run', now);
    out.stdout = `\nparty-perf: the summary failed (${failures.join('; ')}); raw metrics in ${summaryPath}\n`;
  }
  for (const k of Object.keys(out)) out[k] = redact(out[k]!);
  return out;
}

/** summary.json when no model exists: the error and k6's raw metrics, so nothing is lost. */
function minimalJson(data: unknown, errors: string[], label: string, now: number): string {
  let metrics: unknown = null;
  try {
    metrics = data && typeof data === 'object' ? (data as { metrics?: unknown }).metrics ?? null : null;
    JSON.stringify(metrics);
  } catch {
    metrics = null;
  }
  return JSON.stringify({ version: SUMMARY_VERSION, error: errors.join('; ') || 'unknown error', label, generatedAt: iso(now), metrics }, null, 2) + '\n';
}
