// Placeholder until the summary renderers land: keeps k6's data as JSON.
import type { Env } from '../config.ts';

export interface SummaryContext {
  env: Env;
  profile: string;
  seed: number;
  now: number;
}

export function handleSummary(data: object, ctx: SummaryContext): Record<string, string> {
  void ctx;
  return { 'summaries/k6-summary-data.json': JSON.stringify(data, null, 1) };
}
