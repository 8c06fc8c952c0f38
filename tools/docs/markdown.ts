// Just enough Markdown for the docs checks: which lines are code, the
// headings' anchors as GitHub makes them, the links and where they are, the
// generated-sample blocks and the rows of tables. Pure: text in, data out.

/** A Markdown file: its path from the repository root (with `/`) and its text. */
export interface DocFile {
  path: string;
  text: string;
}

/** Something wrong in a file, at a 1-based line (0: the file as a whole). */
export interface Problem {
  file: string;
  line: number;
  message: string;
}

export const formatProblem = (p: Problem): string => `${p.file}${p.line > 0 ? `:${p.line}` : ''}: ${p.message}`;

export const splitLines = (text: string): string[] => text.replace(/\r\n?/g, '\n').split('\n');

const FENCE = /^\s*(`{3,}|~{3,})(.*)$/;

/**
 * For each line: is it part of a fenced code block (its fences included)?
 * Fences may be indented (inside list items); a backtick fence's info
 * string has no backtick, and a fence closes on the same character, at
 * least as long, with nothing after it.
 */
export function codeLines(lines: string[]): boolean[] {
  const code: boolean[] = [];
  let open: string | null = null;
  for (const line of lines) {
    const m = FENCE.exec(line);
    if (open === null) {
      if (m && !(m[1]![0] === '`' && m[2]!.includes('`'))) {
        open = m[1]!;
        code.push(true);
      } else code.push(false);
    } else {
      code.push(true);
      if (m && m[1]![0] === open[0] && m[1]!.length >= open.length && m[2]!.trim() === '') open = null;
    }
  }
  return code;
}

/** The line with its inline code spans blanked (same length, so columns still match). */
export function withoutCodeSpans(line: string): string {
  return line.replace(/(`+)([\s\S]*?[^`])\1(?!`)/g, (s) => ' '.repeat(s.length));
}

/** The text a heading shows: code spans' content, links' text, no emphasis markers or HTML tags. */
export function headingText(raw: string): string {
  const parts = raw.split(/(`+)([^`]|[^`][\s\S]*?[^`])\1(?!`)/);
  // split with two groups: [text, ticks, code, text, ticks, code, text...]
  let out = '';
  for (let i = 0; i < parts.length; i += 3) {
    out += plainInline(parts[i] ?? '');
    if (i + 2 < parts.length) out += (parts[i + 2] ?? '').replace(/^ (.*) $/, '$1');
  }
  return out.trim();
}

function plainInline(s: string): string {
  return s
    .replace(/!\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/\[([^\]]*)\]\[[^\]]*\]/g, '$1')
    .replace(/<\/?[A-Za-z][^>]*>/g, '')
    .replace(/\*+/g, '')
    // `_` is emphasis only at a word's edge: snake_case stays.
    .replace(/(^|[^\p{L}\p{N}_])_+(?=\S)/gu, '$1')
    .replace(/(\S)_+(?=[^\p{L}\p{N}_]|$)/gu, '$1')
    .replace(/\\([\\`*_{}[\]()#+\-.!|])/g, '$1');
}

/** GitHub's anchor for a heading's text: lowercase; only letters, digits, spaces, `-` and `_`; each space a `-`. */
export function slugOf(text: string): string {
  return text.toLowerCase().replace(/[^\p{L}\p{M}\p{N} _-]/gu, '').replace(/ /g, '-');
}

/** Gives each anchor once, as GitHub does: a repeated one gets `-1`, `-2`, ... */
export function slugger(): (text: string) => string {
  const seen = new Set<string>();
  const count = new Map<string, number>();
  return (text) => {
    const base = slugOf(text);
    let slug = base;
    if (seen.has(base)) {
      let n = count.get(base) ?? 0;
      do slug = `${base}-${++n}`;
      while (seen.has(slug));
      count.set(base, n);
    }
    seen.add(slug);
    return slug;
  };
}

export interface Heading {
  line: number;
  level: number;
  text: string;
  anchor: string;
}

const ATX = /^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$/;
const SETEXT = /^ {0,3}(=+|-+)[ \t]*$/;
const NOT_PARAGRAPH = /^\s*([-*+]\s|\d+[.)]\s|>|\||#|<)/;

/** The headings outside code (ATX `#` and setext underlined), with their anchors. */
export function headings(text: string): Heading[] {
  const lines = splitLines(text);
  const code = codeLines(lines);
  const slug = slugger();
  const out: Heading[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (code[i]) continue;
    const line = lines[i]!;
    const atx = ATX.exec(line);
    if (atx) {
      const t = headingText(atx[2] ?? '');
      out.push({ line: i + 1, level: atx[1]!.length, text: t, anchor: slug(t) });
      continue;
    }
    const setext = SETEXT.exec(line);
    if (setext && i > 0 && !code[i - 1] && lines[i - 1]!.trim() !== '' && !NOT_PARAGRAPH.test(lines[i - 1]!) && !ATX.test(lines[i - 1]!)) {
      let start = i - 1;
      while (start > 0 && !code[start - 1] && lines[start - 1]!.trim() !== '' && !NOT_PARAGRAPH.test(lines[start - 1]!) && !ATX.test(lines[start - 1]!)) start--;
      const t = headingText(lines.slice(start, i).map((l) => l.trim()).join(' '));
      out.push({ line: start + 1, level: setext[1]![0] === '=' ? 1 : 2, text: t, anchor: slug(t) });
    }
  }
  return out;
}

/** Every anchor a file offers: its headings' and any `<a name|id="...">`. */
export function anchorsOf(text: string): Set<string> {
  const set = new Set(headings(text).map((h) => h.anchor));
  const lines = splitLines(text);
  const code = codeLines(lines);
  for (const [i, line] of lines.entries()) {
    if (code[i]) continue;
    for (const m of line.matchAll(/<a\s[^>]*?\b(?:name|id)\s*=\s*["']([^"']+)["']/gi)) set.add(m[1]!);
  }
  return set;
}

export interface Link {
  line: number;
  target: string;
}

// `](target)` or `](<target> "title")`: the text before may wrap onto earlier lines, the target does not.
const INLINE = /\]\(\s*(<[^>\n]*>|(?:[^\s()]|\([^\s()]*\))*)(?:\s+(?:"[^"]*"|'[^']*'|\([^)]*\)))?\s*\)/g;
const REF_DEF = /^ {0,3}\[[^\]]+\]:\s*(<[^>]*>|\S+)/;
const HTML_REF = /<(?:a|img|link|source)\s[^>]*?\b(?:href|src)\s*=\s*["']([^"']*)["']/gi;

/** The link and image targets outside code: inline, reference definitions and HTML `href` / `src`. */
export function links(text: string): Link[] {
  const lines = splitLines(text);
  const code = codeLines(lines);
  const out: Link[] = [];
  for (const [i, raw] of lines.entries()) {
    if (code[i]) continue;
    const line = withoutCodeSpans(raw);
    const add = (t: string) => out.push({ line: i + 1, target: t.replace(/^<(.*)>$/, '$1').trim() });
    for (const m of line.matchAll(INLINE)) add(m[1]!);
    const def = REF_DEF.exec(line);
    if (def) add(def[1]!);
    for (const m of line.matchAll(HTML_REF)) add(m[1]!);
  }
  return out;
}

export interface TableRow {
  line: number;
  cells: string[];
}

const DELIMITER = /^\s*\|?\s*:?-+:?\s*(\|\s*:?-+:?\s*)*\|?\s*$/;

/** Split a table row on `|`, except escaped ones and those inside code spans. */
export function cellsOf(line: string): string[] {
  const cells: string[] = [];
  let cell = '';
  let ticks = 0;
  const s = line.trim().replace(/^\|/, '');
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (c === '\\' && s[i + 1] === '|') {
      cell += '|';
      i++;
    } else if (c === '`') {
      let n = 1;
      while (s[i + n] === '`') n++;
      ticks = ticks === 0 ? n : ticks === n ? 0 : ticks;
      cell += '`'.repeat(n);
      i += n - 1;
    } else if (c === '|' && ticks === 0) {
      cells.push(cell.trim());
      cell = '';
    } else cell += c;
  }
  if (cell.trim() !== '') cells.push(cell.trim());
  return cells;
}

/** The body rows of every table outside code (header and delimiter rows left out). */
export function tableRows(text: string): TableRow[] {
  const lines = splitLines(text);
  const code = codeLines(lines);
  const out: TableRow[] = [];
  let inTable = false;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (code[i] || !line.includes('|') || line.trim() === '') {
      inTable = false;
      continue;
    }
    if (!inTable) {
      if (i + 1 < lines.length && !code[i + 1] && DELIMITER.test(lines[i + 1]!) && lines[i + 1]!.includes('-')) {
        inTable = true;
        i++; // the delimiter row
      }
      continue;
    }
    out.push({ line: i + 1, cells: cellsOf(line) });
  }
  return out;
}

export interface SampleBlock {
  name: string;
  /** Lines of the start and end markers, 1-based. */
  start: number;
  end: number;
  /** The lines between the markers. */
  body: string[];
}

const SAMPLE_START = /^\s*<!--\s*sample:\s*([^\s>]+)\s*-->\s*$/;
const SAMPLE_END = /^\s*<!--\s*\/sample\s*-->\s*$/;

export class SampleError extends Error {
  constructor(readonly line: number, message: string) {
    super(message);
  }
}

/** The `<!-- sample: NAME -->` ... `<!-- /sample -->` blocks outside code; a marker without its pair throws. */
export function sampleBlocks(text: string): SampleBlock[] {
  const lines = splitLines(text);
  const code = codeLines(lines);
  const out: SampleBlock[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (code[i]) continue;
    if (SAMPLE_END.test(lines[i]!)) throw new SampleError(i + 1, '<!-- /sample --> without a <!-- sample: NAME --> before it');
    const m = SAMPLE_START.exec(lines[i]!);
    if (!m) continue;
    let j = i + 1;
    while (j < lines.length && !SAMPLE_END.test(lines[j]!)) {
      if (SAMPLE_START.test(lines[j]!)) throw new SampleError(i + 1, `sample "${m[1]}" has no <!-- /sample --> before the next sample`);
      j++;
    }
    if (j === lines.length) throw new SampleError(i + 1, `sample "${m[1]}" has no <!-- /sample --> after it`);
    out.push({ name: m[1]!, start: i + 1, end: j + 1, body: lines.slice(i + 1, j) });
    // Past the block: its fence is the sample's, not the page's code.
    i = j;
  }
  return out;
}

/** A sample's body: its text in a `text` fence longer than any backtick run inside. */
export function sampleBody(text: string): string[] {
  const body = text.replace(/\r\n?/g, '\n').replace(/\n+$/, '');
  const longest = Math.max(0, ...[...body.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(Math.max(3, longest + 1));
  return [`${fence}text`, ...(body === '' ? [] : body.split('\n')), fence];
}
