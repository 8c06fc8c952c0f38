// A section added to the report.md and report.html that k6's summary wrote
// into a run's folder, after the run (`npm start`: the graph in words). A
// report that is not there is not created: the summary decides which exist.

import { existsSync } from 'node:fs';
import { appendFile, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';

/** The fragment just before the page's last `</main>` (lib/summary/html.ts puts everything in it), else `</body>`, else at the end. */
export function insertHtml(page: string, fragment: string): string {
  for (const tag of ['</main>', '</body>']) {
    const at = page.lastIndexOf(tag);
    if (at >= 0) return `${page.slice(0, at)}${fragment}\n${page.slice(at)}`;
  }
  return `${page}\n${fragment}\n`;
}

/** Appends `markdown` to report.md and inserts `html` into report.html in `folder`; says what it did. */
export async function addReportSection(folder: string, markdown: string, html: string, what = 'section'): Promise<string> {
  const md = path.join(folder, 'report.md');
  const page = path.join(folder, 'report.html');
  const done: string[] = [];
  try {
    if (existsSync(md)) {
      await appendFile(md, `\n${markdown.endsWith('\n') ? markdown : `${markdown}\n`}`);
      done.push('report.md');
    }
    if (existsSync(page)) {
      await writeFile(page, insertHtml(await readFile(page, 'utf8'), html));
      done.push('report.html');
    }
  } catch (err) {
    return `${what} not added to ${done.length ? `all reports (added to ${done.join(', ')} only)` : 'the reports'}: ${(err as Error).message}`;
  }
  return done.length ? `${what} added to ${done.map((f) => path.join(folder, f)).join(' and ')}` : `${what}: no report.md or report.html in ${folder} to add it to`;
}
