// Requests of every input, held column-wise in typed arrays (a million
// requests is ~20 MB this way, ~200 MB as objects) and classified on arrival.

import { CLASSES, classify } from '../../lib/classify.ts';
import type { ResponseClass } from '../../lib/classify.ts';
import { routeByKey } from '../../lib/routes.ts';
import { isSetupOrTeardown, type RawRequest } from './request.ts';

/** One scenario (and route within it): what a boundary band on the chart shows. */
export interface Group {
  scenario: string;
  route: string;
  /** From the count/offset tags, else from a `<route>_c<count>_o<offset>` scenario name; NaN if unknown. */
  count: number;
  offset: number;
}

export interface Dataset {
  n: number;
  /** When the request was sent, ms since the epoch: k6's timestamp (response end) minus the duration. */
  sent: Float64Array;
  durationMs: Float64Array;
  /** Index into CLASSES. */
  cls: Uint8Array;
  /** Index into groups. */
  group: Uint16Array;
  groups: Group[];
  /** Routes in order of first appearance. */
  routes: string[];
  /** Route index per group. */
  groupRoute: number[];
  byClass: Record<ResponseClass, number>;
}

export const CLASS_INDEX: Record<ResponseClass, number> = Object.fromEntries(CLASSES.map((c, i) => [c, i])) as Record<
  ResponseClass,
  number
>;

export class DatasetBuilder {
  private n = 0;
  private sent = new Float64Array(1024);
  private dur = new Float64Array(1024);
  private cls = new Uint8Array(1024);
  private grp = new Uint16Array(1024);
  private readonly groups: Group[] = [];
  private readonly groupIndex = new Map<string, number>();
  private readonly groupExpected: number[] = [];
  private readonly routes: string[] = [];
  private readonly groupRoute: number[] = [];
  /** Setup's and teardown's requests left out. */
  skipped = 0;

  /** Bound so readers can call it as their sink. */
  readonly add = (r: RawRequest): void => {
    if (isSetupOrTeardown(r)) {
      this.skipped++;
      return;
    }
    if (this.n === this.sent.length) this.grow();
    const g = this.groupOf(r);
    const i = this.n++;
    const d = Number.isFinite(r.durationMs) ? r.durationMs : 0;
    this.sent[i] = r.timeMs - d;
    this.dur[i] = d;
    this.cls[i] = CLASS_INDEX[classify(r.status, r.errorCode, this.groupExpected[g]).class];
    this.grp[i] = g;
  };

  build(): Dataset {
    const n = this.n;
    const byClass = Object.fromEntries(CLASSES.map((c) => [c, 0])) as Record<ResponseClass, number>;
    const counts = new Array<number>(CLASSES.length).fill(0);
    for (let i = 0; i < n; i++) counts[this.cls[i]!]!++;
    CLASSES.forEach((c, k) => (byClass[c] = counts[k]!));
    return {
      n,
      sent: this.sent.subarray(0, n),
      durationMs: this.dur.subarray(0, n),
      cls: this.cls.subarray(0, n),
      group: this.grp.subarray(0, n),
      groups: this.groups,
      routes: this.routes,
      groupRoute: this.groupRoute,
      byClass,
    };
  }

  private groupOf(r: RawRequest): number {
    const key = `${r.scenario}\u0000${r.route}\u0000${r.count}\u0000${r.offset}`;
    let g = this.groupIndex.get(key);
    if (g !== undefined) return g;
    if (this.groups.length === 0xffff) throw new Error('more than 65535 scenario/route combinations');
    const route = r.route || r.scenario.split('_')[0] || '(no route tag)';
    const named = /_c(\d+)_o(\d+)/.exec(r.scenario);
    const group: Group = {
      scenario: r.scenario,
      route,
      count: tagNumber(r.count, named?.[1]),
      offset: tagNumber(r.offset, named?.[2]),
    };
    g = this.groups.push(group) - 1;
    this.groupIndex.set(key, g);
    // A route of lib/routes.ts may expect another status than 200 (a POST's 201).
    this.groupExpected.push(routeByKey(route)?.expectedStatus ?? 200);
    let ri = this.routes.indexOf(route);
    if (ri < 0) ri = this.routes.push(route) - 1;
    this.groupRoute.push(ri);
    return g;
  }

  private grow(): void {
    const size = this.sent.length * 2;
    const f64 = (a: Float64Array) => {
      const b = new Float64Array(size);
      b.set(a);
      return b;
    };
    this.sent = f64(this.sent);
    this.dur = f64(this.dur);
    const c = new Uint8Array(size);
    c.set(this.cls);
    this.cls = c;
    const g = new Uint16Array(size);
    g.set(this.grp);
    this.grp = g;
  }
}

function tagNumber(tag: string, fromName: string | undefined): number {
  const v = tag !== '' ? Number(tag) : fromName !== undefined ? Number(fromName) : NaN;
  return Number.isFinite(v) ? v : NaN;
}

/** Indices of the requests of each route, in input order. */
export function indexByRoute(ds: Dataset): Uint32Array[] {
  const counts = new Array<number>(ds.routes.length).fill(0);
  for (let i = 0; i < ds.n; i++) counts[ds.groupRoute[ds.group[i]!]!]!++;
  const out = counts.map((c) => new Uint32Array(c));
  const fill = new Array<number>(ds.routes.length).fill(0);
  for (let i = 0; i < ds.n; i++) {
    const r = ds.groupRoute[ds.group[i]!]!;
    out[r]![fill[r]!++] = i;
  }
  return out;
}
