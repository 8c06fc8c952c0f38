import { test } from 'node:test';
import assert from 'node:assert/strict';
import { countersMarkdown, delta, routeCounters } from '../tools/counters.ts';

const before = `# HELP party_target_route_hits_total x
party_target_route_hits_total{route="POST /businesses"} 10000
party_target_route_hits_total{route="GET /businesses/id/{id}"} 1
party_target_queries_started_total{route="GET /businesses/id/{id}"} 1
party_target_queries_completed_total{route="GET /businesses/id/{id}"} 1
`;
const after = `party_target_route_hits_total{route="POST /businesses"} 10000
party_target_route_hits_total{route="GET /businesses/id/{id}"} 4001
party_target_queries_started_total{route="GET /businesses/id/{id}"} 4001
party_target_queries_completed_total{route="GET /businesses/id/{id}"} 3485
party_target_http_responses_total{route="GET /businesses/id/{id}",status="200"} 3485
`;

test("the report's hit / started / completed table from two scrapes", () => {
  const d = delta(routeCounters(after), routeCounters(before));
  assert.deepEqual(d.get('GET /businesses/id/{id}'), { hits: 4000, started: 4000, completed: 3484 });
  assert.deepEqual(d.get('POST /businesses'), { hits: 0, started: 0, completed: 0 });
  const md = countersMarkdown({ scenarios: [{ route: 'id', sent: 4000 }] as never }, d)!;
  assert.match(md, /\| \/businesses\/id\/ \| 4000 \| 4000 \| 4000 \| 3484 \|/);
  assert.equal(countersMarkdown({ scenarios: [{ route: 'ref', sent: 1 }] as never }, d), null);
});
