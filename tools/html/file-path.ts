// How a page shows a file the user gave: short enough never to widen the
// page (relative to the current folder, or the file name when it lies
// outside it), with the full path in a tooltip.
import path from 'node:path';
import { xml } from '../../lib/summary/escape.ts';

/** The short form: relative to `cwd` when the file is inside it, else its name. */
export function shortPath(file: string, cwd: string = process.cwd()): string {
  const abs = path.resolve(cwd, file);
  const rel = path.relative(cwd, abs);
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : path.basename(abs);
}

/** `<code class="file" title="/full/path">short</code>`, escaped. */
export function fileHtml(file: string, cwd: string = process.cwd()): string {
  return `<code class="file" title="${xml(path.resolve(cwd, file))}">${xml(shortPath(file, cwd))}</code>`;
}
