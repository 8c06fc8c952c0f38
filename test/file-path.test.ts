// How pages show the files the user gave (issue 16): relative to the current
// folder when inside it, else the file name; the full path in the tooltip.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileHtml, shortPath } from '../tools/html/file-path.ts';

test('inside the current folder: relative; outside it: the file name', () => {
  assert.equal(shortPath('/home/me/party-perf/summaries/a/summary.json', '/home/me/party-perf'), 'summaries/a/summary.json');
  assert.equal(shortPath('summaries/a/summary.json', '/home/me/party-perf'), 'summaries/a/summary.json');
  assert.equal(shortPath('/tmp/x/y/very/deep/summary.json', '/home/me/party-perf'), 'summary.json');
  assert.equal(shortPath('../elsewhere/b.summary.json', '/home/me/party-perf'), 'b.summary.json');
});

test('the tooltip holds the full path, both escaped', () => {
  assert.equal(fileHtml('runs/<a>&"b".json', '/srv/p'), '<code class="file" title="/srv/p/runs/&lt;a&gt;&amp;&quot;b&quot;.json">runs/&lt;a&gt;&amp;&quot;b&quot;.json</code>');
});
