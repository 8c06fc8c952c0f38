// Reads one raw k6 output file, whatever its format, into a request sink.

import { readCsv } from './read-csv.ts';
import { readNdjson } from './read-ndjson.ts';
import type { ReadResult, RequestSink } from './request.ts';
import { openSource } from './source.ts';

export async function readRaw(path: string, sink: RequestSink): Promise<ReadResult> {
  const src = await openSource(path);
  const input = src.open();
  try {
    const stats = src.format === 'csv' ? await readCsv(path, input, sink) : await readNdjson(path, input, sink);
    const warnings: string[] = [];
    if (stats.resolution === 's' && stats.requests > 0) {
      warnings.push(
        `${path}: timestamps are whole seconds (k6's default CSV time format), so time resolution is 1 s; ` +
          'run k6 with K6_CSV_TIME_FORMAT=unix_milli for millisecond times',
      );
    }
    return { format: src.format, gzip: src.gzip, ...stats, warnings };
  } finally {
    input.destroy();
  }
}
