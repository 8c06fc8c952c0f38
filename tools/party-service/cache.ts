// The report's SimpleCache (werkzeug / Flask-Caching "simple"): an in-process
// dict with a per-entry timeout and a threshold. Like Flask-Caching's
// @cached view decorator it stores successful answers only and is never
// invalidated by writes: a write shows in reads after the TTL at worst.

interface Entry {
  body: string;
  expires: number;
}

export class SimpleCache {
  private readonly entries = new Map<string, Entry>();

  constructor(
    readonly ttlMs: number,
    readonly threshold: number,
    private readonly now: () => number = Date.now,
  ) {}

  get enabled(): boolean {
    return this.ttlMs > 0;
  }

  get size(): number {
    return this.entries.size;
  }

  get(key: string): string | undefined {
    const e = this.entries.get(key);
    if (!e) return undefined;
    if (e.expires <= this.now()) {
      this.entries.delete(key);
      return undefined;
    }
    return e.body;
  }

  set(key: string, body: string): void {
    if (!this.enabled) return;
    if (this.entries.size >= this.threshold) this.prune();
    this.entries.set(key, { body, expires: this.now() + this.ttlMs });
  }

  // werkzeug's SimpleCache._prune: drop expired entries, then every third
  // entry if still over the threshold. Oldest-first here (Map order).
  private prune(): void {
    const now = this.now();
    let i = 0;
    for (const [k, e] of this.entries) {
      if (e.expires <= now || i++ % 3 === 0) this.entries.delete(k);
    }
  }
}
