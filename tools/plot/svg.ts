// Tiny helpers for writing SVG/HTML as strings.

const ESC: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function esc(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ESC[c]!);
}

/** One decimal is sub-pixel enough and keeps big pages small. */
export function n1(v: number): string {
  return String(Math.round(v * 10) / 10);
}

export function attrs(a: Record<string, string | number | undefined>): string {
  let out = '';
  for (const [k, v] of Object.entries(a)) if (v !== undefined) out += ` ${k}="${typeof v === 'number' ? n1(v) : esc(v)}"`;
  return out;
}
