// A loopback target for bench/k6.bench.ts, run in a process of its own so its
// CPU is never counted as k6's: every GET answers 200 with a small fixed JSON
// body, or, with STATUS_MIX=1, a known mix of statuses; DELAY_MS=n answers
// each request n ms late (a slow target). It keeps its own tally
// (GET /__tally answers it and starts a new one; GET /__count the number of
// requests so far) and prints its port.
import { createServer } from 'node:http';

const BODY = '{"id":"81a7d9b4-0b44-48e9-a2d5-422d7256cef6","name":"bench","sampleUnitRef":"49900000001"}';
// Every 50th request 404, every 70th 500, every 110th 405 (the first that matches).
const MIX: Array<[number, number]> = [[50, 404], [70, 500], [110, 405]];
const mix = process.env.STATUS_MIX === '1';
const delayMs = Number(process.env.DELAY_MS ?? 0);

let tally: Record<string, number> = {};
let first = 0;
let n = 0;

const server = createServer((req, res) => {
  // Requests so far, without a new tally: the bench's steady-state window.
  if (req.url === '/__count') {
    res.writeHead(200, { 'Content-Type': 'text/plain' }).end(String(n));
    return;
  }
  if (req.url === '/__tally') {
    const out = JSON.stringify({ statuses: tally, firstMs: first });
    tally = {};
    first = 0;
    n = 0;
    res.writeHead(200, { 'Content-Type': 'application/json' }).end(out);
    return;
  }
  if (first === 0) first = Date.now();
  n++;
  const status = mix ? (MIX.find(([every]) => n % every === 0)?.[1] ?? 200) : 200;
  tally[status] = (tally[status] ?? 0) + 1;
  const answer = () => res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(BODY) }).end(BODY);
  if (delayMs > 0) setTimeout(answer, delayMs);
  else answer();
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => {
  const a = server.address();
  console.log(typeof a === 'object' && a ? a.port : 0);
});
process.on('SIGTERM', () => process.exit(0));
