// Byte-level pre-filters: a k6 raw file carries ~16 lines per request and only
// the http_req_duration one matters. Finding those with Buffer.indexOf (native)
// and handing the parser just them keeps skipped lines from ever becoming JS
// strings, which is most of the cost of a million-request file.

import { Transform } from 'node:stream';
import type { TransformCallback } from 'node:stream';

const NL = 0x0a;
const QUOTE = 0x22;

abstract class ChunkedLines extends Transform {
  /** Bytes seen, for messages. */
  bytes = 0;
  private carry: Buffer | undefined;

  constructor() {
    super({ highWaterMark: 1 << 20 });
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    this.bytes += chunk.length;
    const data = this.carry ? Buffer.concat([this.carry, chunk]) : chunk;
    const last = data.lastIndexOf(NL);
    if (last < 0) {
      this.carry = data;
      return done();
    }
    this.carry = last + 1 < data.length ? Buffer.from(data.subarray(last + 1)) : undefined;
    this.emitKept(data.subarray(0, last + 1));
    done();
  }

  override _flush(done: TransformCallback): void {
    if (this.carry) this.emitKept(Buffer.concat([this.carry, Buffer.from('\n')]));
    done();
  }

  private emitKept(region: Buffer): void {
    const parts: Buffer[] = [];
    this.scan(region, parts);
    if (parts.length) this.push(parts.length === 1 ? parts[0] : Buffer.concat(parts));
  }

  /** Pushes the kept lines of region (complete lines only) onto parts. */
  protected abstract scan(region: Buffer, parts: Buffer[]): void;
}

/**
 * CSV: the first record (header) and the records whose first field is
 * `metric`. Quote-aware: Go's CSV writer quotes error messages (which hold
 * quotes, maybe newlines), so a record ends at a newline outside quotes.
 */
export class CsvRecordFilter extends ChunkedLines {
  private readonly needle: Buffer;
  private readonly prefix: Buffer;
  private inQuotes = false;
  private seenHeader = false;
  /** A kept record's quoted field ran past the end of the last region. */
  private continuing = false;
  /** Position of the next quote in the region being scanned (-1: none left). */
  private quote = -1;

  constructor(metric: string) {
    super();
    this.prefix = Buffer.from(`${metric},`);
    this.needle = Buffer.from(`\n${metric},`);
  }

  protected scan(region: Buffer, parts: Buffer[]): void {
    let pos = 0;
    const end = region.length;
    this.quote = region.indexOf(QUOTE);
    if (!this.seenHeader || this.continuing) {
      const e = this.recordEnd(region, 0);
      parts.push(region.subarray(0, e));
      this.seenHeader = true;
      pos = e;
    }
    while (pos < end) {
      // Candidate record start: at pos (already a record boundary when not in quotes), or after a newline.
      let start: number;
      if (!this.inQuotes && region.subarray(pos, pos + this.prefix.length).equals(this.prefix)) start = pos;
      else {
        const m = region.indexOf(this.needle, pos);
        if (m < 0) {
          this.countQuotes(region, pos, end);
          return;
        }
        this.countQuotes(region, pos, m);
        if (this.inQuotes) {
          // The match sits inside a quoted field of another record.
          pos = m + 1;
          continue;
        }
        start = m + 1;
      }
      const e = this.recordEnd(region, start);
      parts.push(region.subarray(start, e));
      pos = e;
    }
  }

  /**
   * Toggles quote state for each quote in [from, to). Ranges only move
   * forward within a region, so the next quote is found once, not per line
   * (a region without quotes would otherwise be rescanned for every record).
   */
  private countQuotes(buf: Buffer, from: number, to: number): void {
    while (this.quote >= 0 && this.quote < to) {
      if (this.quote >= from) this.inQuotes = !this.inQuotes;
      this.quote = buf.indexOf(QUOTE, this.quote + 1);
    }
  }

  /**
   * End (exclusive, after the newline) of the record starting at from, or the
   * end of buf with `continuing` set when the record goes on in the next region.
   */
  private recordEnd(buf: Buffer, from: number): number {
    let pos = from;
    for (;;) {
      const nl = buf.indexOf(NL, pos);
      const stop = nl < 0 ? buf.length : nl;
      this.countQuotes(buf, pos, stop);
      if (nl >= 0 && !this.inQuotes) {
        this.continuing = false;
        return nl + 1;
      }
      if (nl < 0 || nl + 1 >= buf.length) {
        this.continuing = this.inQuotes;
        return buf.length;
      }
      pos = nl + 1;
    }
  }
}

/** NDJSON: the lines that contain `needle` anywhere (JSON lines hold no raw newlines). */
export class LineContainsFilter extends ChunkedLines {
  private readonly needle: Buffer;

  constructor(needle: string) {
    super();
    this.needle = Buffer.from(needle);
  }

  protected scan(region: Buffer, parts: Buffer[]): void {
    let pos = 0;
    for (;;) {
      const m = region.indexOf(this.needle, pos);
      if (m < 0) return;
      const start = m === 0 ? 0 : region.lastIndexOf(NL, m - 1) + 1;
      const nl = region.indexOf(NL, m);
      const end = nl < 0 ? region.length : nl + 1;
      parts.push(region.subarray(Math.max(start, pos), end));
      pos = end;
    }
  }
}
