// The CSS every party-perf HTML page shares (report.html, compare.html, the
// plot page, and any new page: capacity, merged report, replay), so that no
// page is ever wider than the screen. What the user supplies (targets,
// labels, paths, problems) wraps; a table wider than the screen scrolls in
// its own box, never the page. Pure text: the summary bundle embeds it too.

/** Page layout, headings, status banners, tables, charts. */
export const PAGE_CSS = `
*,*::before,*::after{box-sizing:border-box}
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1b1b1b;margin:0;background:#f6f7f9}
main{max-width:1280px;margin:0 auto;padding:12px 20px 40px}
h1{font-size:22px;margin:8px 0}h2{font-size:18px;margin:28px 0 8px;border-bottom:1px solid #ddd;padding-bottom:4px}h3{font-size:15px;margin:16px 0 6px}
h1,h2,h3,p,li,summary,.status{overflow-wrap:anywhere}
.status{padding:10px 14px;border-radius:6px;font-weight:600;margin:8px 0 12px}
.verdict ul,.verdict p{font-weight:400;margin:6px 0 0}.verdict ul{padding-left:20px}
.pass{background:#e3f4e6;color:#145a22;border:1px solid #9fd4a8}.warn{background:#fff4d6;color:#6b4a00;border:1px solid #e8cf84}.fail{background:#fbe4e4;color:#8a1414;border:1px solid #e6a3a3}
.meta{color:#444;margin:0 0 8px;padding-left:18px}
div.grid{display:flex;flex-wrap:wrap;gap:6px 24px;align-items:flex-start}
div.grid>*{min-width:0;max-width:100%}
.scroll{max-width:100%;overflow-x:auto}
details{margin:4px 0 8px}summary{cursor:pointer;font-weight:600}
table{border-collapse:collapse;background:#fff;margin:4px 0 8px;font-variant-numeric:tabular-nums}
th,td{border:1px solid #d8dbe0;padding:2px 8px;text-align:right;white-space:nowrap}
th{background:#eef0f3;font-weight:600;white-space:normal}th:first-child,td:first-child{text-align:left}
table.text td,table.text th,table.left td,table.left th{text-align:left}
td.wrap,table.text td{white-space:normal;overflow-wrap:anywhere}td.wrap{min-width:12em}
tr.total td{font-style:italic;background:#fafafa}
td.ok{color:#145a22;font-weight:600}td.bad{color:#8a1414;font-weight:700}
svg.chart{background:#fff;border:1px solid #d8dbe0;border-radius:4px;max-width:100%;height:auto}
.notes{color:#555}
code{font-size:12.5px;overflow-wrap:anywhere}
code.file{cursor:help}
`;

/** A table in a box of its own that scrolls sideways when the table is wider than the screen. */
export function scrollBox(tableHtml: string): string {
  return `<div class="scroll">${tableHtml}</div>`;
}
