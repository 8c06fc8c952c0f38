// k6 threshold expressions -> the value they test, so a gate prints what was
// observed and not only pass/fail.

export interface ParsedExpression {
  stat: string;
  op: string;
  limit: number;
}

const EXPR = /^\s*([a-z]+(?:\(\s*[0-9.]+\s*\))?)\s*(<=|>=|===|==|!=|<|>)\s*(-?[0-9.]+(?:e-?[0-9]+)?)\s*$/i;

/** `p(95)<500` -> { stat: 'p(95)', op: '<', limit: 500 }; null for anything else. */
export function parseExpression(expr: string): ParsedExpression | null {
  const m = EXPR.exec(expr);
  if (!m) return null;
  const stat = m[1]!.replace(/\s+/g, '').replace(/^(avg|min|max|med|count|rate|value|p)\b/i, (s) => s.toLowerCase());
  return { stat, op: m[2]!, limit: Number(m[3]) };
}

/** Whether `observed op limit` holds, as k6 judges a threshold. */
export function holds(observed: number, op: string, limit: number): boolean {
  switch (op) {
    case '<': return observed < limit;
    case '<=': return observed <= limit;
    case '>': return observed > limit;
    case '>=': return observed >= limit;
    case '!=': return observed !== limit;
    default: return observed === limit;
  }
}

/**
 * The suite's always-true thresholds, there only so k6 keeps a sub-metric in
 * handleSummary's data (lib/plan.ts k6Thresholds).
 */
export function isBookkeeping(expr: string): boolean {
  const p = parseExpression(expr);
  return p !== null && p.op === '>=' && p.limit === 0 && (p.stat === 'count' || p.stat === 'max' || p.stat === 'rate' || p.stat === 'value');
}
