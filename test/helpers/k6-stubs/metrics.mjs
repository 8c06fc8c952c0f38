const k6 = () => globalThis.__k6;
class Metric {
  constructor(name) { this.name = name; }
  add(value, tags) { k6().metrics.push({ name: this.name, value, tags: { ...(tags || {}) } }); }
}
export class Counter extends Metric {}
export class Trend extends Metric {}
export class Rate extends Metric {}
export class Gauge extends Metric {}
export default { Counter, Trend, Rate, Gauge };
