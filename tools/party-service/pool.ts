// A bounded pool of connection slots with a FIFO wait queue and an acquire
// timeout: the semantics of SQLAlchemy's QueuePool (pool_size + max_overflow
// slots, pool_timeout). In front of PGlite (one connection in process) the
// slots are logical connections; in front of pg.Pool each slot is one real
// server connection (db.ts sizes pg.Pool to the same capacity).

export class PoolTimeoutError extends Error {
  constructor(size: number, overflow: number, timeoutMs: number) {
    // The report's log line, word for word.
    super(`QueuePool limit of size ${size} overflow ${overflow} reached, connection timed out, timeout ${timeoutMs / 1000}`);
    this.name = 'PoolTimeoutError';
  }
}

export interface PoolStats {
  checkouts: number;
  waits: number;
  timeouts: number;
  inUse: number;
  waiting: number;
  peakInUse: number;
}

interface Waiter {
  resolve: () => void;
  reject: (e: Error) => void;
  timer: NodeJS.Timeout;
}

export class BoundedPool {
  readonly capacity: number;
  readonly stats: PoolStats = { checkouts: 0, waits: 0, timeouts: 0, inUse: 0, waiting: 0, peakInUse: 0 };
  private readonly queue: Waiter[] = [];
  private closed = false;

  constructor(
    readonly size: number,
    readonly maxOverflow: number,
    readonly timeoutMs: number,
  ) {
    this.capacity = size + maxOverflow;
  }

  /** Resolves when a slot is held; rejects with PoolTimeoutError after timeoutMs. */
  acquire(): Promise<void> {
    if (this.closed) return Promise.reject(new Error('pool is closed'));
    if (this.stats.inUse < this.capacity) {
      this.take();
      return Promise.resolve();
    }
    this.stats.waits++;
    return new Promise<void>((resolve, reject) => {
      const waiter: Waiter = {
        resolve,
        reject,
        timer: setTimeout(() => {
          const i = this.queue.indexOf(waiter);
          if (i >= 0) this.queue.splice(i, 1);
          this.stats.waiting = this.queue.length;
          this.stats.timeouts++;
          reject(new PoolTimeoutError(this.size, this.maxOverflow, this.timeoutMs));
        }, this.timeoutMs),
      };
      this.queue.push(waiter);
      this.stats.waiting = this.queue.length;
    });
  }

  /** Returns a slot: handed straight to the oldest waiter, if any. */
  release(): void {
    const next = this.queue.shift();
    if (next) {
      clearTimeout(next.timer);
      this.stats.waiting = this.queue.length;
      this.stats.checkouts++;
      next.resolve();
      return;
    }
    this.stats.inUse--;
  }

  /** Slots in use beyond pool_size (SQLAlchemy's overflow connections). */
  overflowInUse(): number {
    return Math.max(0, this.stats.inUse - this.size);
  }

  close(): void {
    this.closed = true;
    for (const w of this.queue.splice(0)) {
      clearTimeout(w.timer);
      w.reject(new Error('pool is closed'));
    }
    this.stats.waiting = 0;
  }

  private take(): void {
    this.stats.inUse++;
    this.stats.checkouts++;
    if (this.stats.inUse > this.stats.peakInUse) this.stats.peakInUse = this.stats.inUse;
  }
}
