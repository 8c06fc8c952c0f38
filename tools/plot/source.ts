// Opens one raw k6 output file as a text stream: gunzips when the first bytes
// are gzip's magic (names lie: `raw.csv` may be gzip, `.gz` may be plain) and
// sniffs the format from the first line rather than the extension.

import { createReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { createGunzip, gunzipSync } from 'node:zlib';
import { PlotError } from './errors.ts';

export type RawFormat = 'csv' | 'ndjson';

export interface Source {
  format: RawFormat;
  gzip: boolean;
  /** Decompressed bytes; consumers decode as UTF-8. */
  open(): Readable;
}

const GZIP_MAGIC = [0x1f, 0x8b];
const SNIFF_BYTES = 64 * 1024;

export async function openSource(path: string): Promise<Source> {
  let size: number;
  try {
    const st = await stat(path);
    if (!st.isFile()) throw new PlotError(`${path}: not a file`);
    size = st.size;
  } catch (e) {
    if (e instanceof PlotError) throw e;
    throw new PlotError(`${path}: no such file (expected k6 raw output from --out csv or --out json)`);
  }
  if (size === 0) throw new PlotError(`${path}: empty file (expected k6 raw output from --out csv or --out json)`);

  const head = await readHead(path, SNIFF_BYTES);
  const gzip = head[0] === GZIP_MAGIC[0] && head[1] === GZIP_MAGIC[1];
  const text = gzip ? gunzipHead(path, head) : head.toString('utf8');
  const format = sniff(text);
  if (!format) {
    const firstLine = JSON.stringify(text.split('\n', 1)[0]!.slice(0, 80));
    throw new PlotError(
      `${path}: unknown format${gzip ? ' (inside gzip)' : ''}, first line ${firstLine}; ` +
        'expected k6 raw output: --out csv (header "metric_name,timestamp,metric_value,...") ' +
        'or --out json (one {"type":"Metric"|"Point",...} object a line), plain or gzip',
    );
  }
  return {
    format,
    gzip,
    open() {
      const file = createReadStream(path, { highWaterMark: 1 << 20 });
      if (!gzip) return file;
      const gunzip = createGunzip({ chunkSize: 1 << 20 });
      file.on('error', (e) => gunzip.destroy(e));
      return file.pipe(gunzip);
    },
  };
}

async function readHead(path: string, n: number): Promise<Buffer> {
  const fh = await open(path, 'r');
  try {
    const buf = Buffer.alloc(n);
    const { bytesRead } = await fh.read(buf, 0, n, 0);
    return buf.subarray(0, bytesRead);
  } finally {
    await fh.close();
  }
}

/** The first decompressed bytes of a (possibly truncated) gzip prefix. */
function gunzipHead(path: string, head: Buffer): string {
  try {
    // finishFlush lets a truncated prefix decompress as far as it goes.
    return gunzipSync(head, { finishFlush: 2 /* Z_SYNC_FLUSH */ }).toString('utf8');
  } catch {
    throw new PlotError(`${path}: starts like gzip but does not decompress`);
  }
}

function sniff(text: string): RawFormat | undefined {
  const first = text.replace(/^\uFEFF/, '').trimStart();
  if (/^metric_name,timestamp,metric_value(,|\r?\n|$)/.test(first)) return 'csv';
  if (first.startsWith('{')) {
    const line = first.split('\n', 1)[0]!;
    if (/"type"\s*:\s*"(Metric|Point)"/.test(line)) return 'ndjson';
  }
  return undefined;
}
