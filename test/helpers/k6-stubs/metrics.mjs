const k6 = () => globalThis.__k6;
class Metric {
  // k6 refuses a threshold on a custom metric the first init context did not create.
  constructor(name) { this.name = name; k6().registered.push(name); }
  add(value, tags) { k6().metrics.push({ name: this.name, value, tags: { ...(tags || {}) } }); }
}
export class Counter extends Metric {}
export class Trend extends Metric {}
export class Rate extends Metric {}
export class Gauge extends Metric {}
export default { Counter, Trend, Rate, Gauge };
