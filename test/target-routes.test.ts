// Every route of the reference target over real HTTP, compared with the real
// service's bodies in test/fixtures/party-api/responses.txt. Runs on embedded
// PGlite always, and on a PostgreSQL server when TEST_DATABASE_URL is set.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import { startTarget } from '../tools/party-service/server.ts';
import type { RunningTarget } from '../tools/party-service/server.ts';

const PARTY_API = new URL('fixtures/party-api/', import.meta.url);
const POST_BODY = JSON.parse(readFileSync(new URL('post-business.json', PARTY_API), 'utf8')) as Record<string, unknown>;
const REAL_ID = '81a7d9b4-0b44-48e9-a2d5-422d7256cef6';
const SAMPLE = '5a000000-0000-4000-8000-000000000001';
const CE = 'ce000000-0000-4000-8000-000000000001';
const AUTH = 'Basic ' + Buffer.from('admin:secret').toString('base64');

/** responses.txt: "GET <path>" -> { status, body } */
function realResponses(): Map<string, { status: number; body: string }> {
  const text = readFileSync(new URL('responses.txt', PARTY_API), 'utf8');
  const out = new Map<string, { status: number; body: string }>();
  for (const block of text.split(/^## /m).slice(1)) {
    const [head = '', statusLine = '', body = ''] = block.split('\n');
    out.set(head.trim(), { status: Number(/status: (\d+)/.exec(statusLine)?.[1]), body: body.trim() });
  }
  return out;
}
const REAL = realResponses();

async function call(base: string, method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(base + path, {
    method,
    headers: { authorization: AUTH, ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, text, type: res.headers.get('content-type') ?? '', json: () => JSON.parse(text) as unknown };
}

function routeSuite(name: string, options: () => Parameters<typeof startTarget>[0], cleanup?: () => Promise<void>) {
  describe(name, () => {
    let t: RunningTarget;
    let base: string;
    let id: string;
    const api = (p: string) => `/party-api/v1${p}`;
    /** The real body with the real id swapped for ours. */
    const expected = (key: string) => {
      const r = REAL.get(key);
      assert.ok(r, `responses.txt has no "${key}"`);
      return { status: r.status, body: r.body.split(REAL_ID).join(id) };
    };
    const same = async (key: string) => {
      const [method = '', path = ''] = key.split(' ');
      const got = await call(base, method, path.replace(REAL_ID, id));
      const want = expected(key);
      assert.equal(got.status, want.status, `${key}: status`);
      assert.equal(got.text.trim(), want.body, `${key}: body`);
      assert.match(got.type, /^application\/json/);
    };

    before(async () => {
      t = await startTarget({ ...options(), port: 0, quiet: true });
      base = t.url;
    });
    after(async () => {
      await t?.close();
      await cleanup?.();
    });

    it('GET /info answers without auth', async () => {
      const r = await fetch(base + '/info');
      assert.equal(r.status, 200);
      assert.deepEqual(await r.json(), { name: 'ras-party', version: '1.13.0' });
    });

    it('every /party-api/v1 route wants Basic auth: 401 text/html "Unauthorized Access"', async () => {
      for (const headers of [{ authorization: '' }, { authorization: 'Basic ' + Buffer.from('admin:wrong').toString('base64') }]) {
        const r = await call(base, 'GET', api('/businesses/ref/49900000001'), undefined, headers);
        assert.equal(r.status, 401);
        assert.equal(r.text, 'Unauthorized Access');
        assert.match(r.type, /^text\/html/);
      }
    });

    it('POST /businesses creates the business (200, the version just written)', async () => {
      const r = await call(base, 'POST', api('/businesses'), POST_BODY);
      assert.equal(r.status, 200, r.text);
      const body = r.json() as Record<string, unknown>;
      id = body.id as string;
      assert.match(id, /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
      assert.deepEqual(Object.keys(body), ['attributes', 'id', 'name', 'sampleSummaryId', 'sampleUnitRef', 'sampleUnitType', 'trading_as']);
      assert.equal(body.trading_as, 'LT1 STORES  ');
      assert.equal(body.sampleUnitRef, '49900000001');
      const real = JSON.parse(REAL.get(`GET /party-api/v1/businesses/ref/49900000001`)!.body) as { attributes: unknown };
      assert.deepEqual(body.attributes, real.attributes);
    });

    it('before the link every GET answers 400 "does not have any active attributes"', async () => {
      const want = '{"description":"Business with reference does not have any active attributes."}';
      for (const p of [`/businesses/id/${id}`, '/businesses/ref/49900000001', `/businesses?id=${id}`, `/parties/type/B/id/${id}`]) {
        const r = await call(base, 'GET', api(p));
        assert.equal(r.status, 400, p);
        assert.equal(r.text.trim(), want, p);
      }
    });

    it('PUT /businesses/sample/link/<sample> links every business of the sample', async () => {
      const r = await call(base, 'PUT', api(`/businesses/sample/link/${SAMPLE}`), { collectionExerciseId: CE });
      assert.equal(r.status, 200, r.text);
      assert.equal(r.text.trim(), `{"collectionExerciseId":"${CE}","sampleSummaryId":"${SAMPLE}"}`);
      const bad = await call(base, 'PUT', api(`/businesses/sample/link/${SAMPLE}`), {});
      assert.equal(bad.status, 400);
    });

    it('the GET routes answer exactly the real bodies', async () => {
      for (const key of [
        `GET /party-api/v1/businesses/id/${REAL_ID}`,
        `GET /party-api/v1/businesses/id/${REAL_ID}?verbose=true`,
        'GET /party-api/v1/businesses/ref/49900000001',
        `GET /party-api/v1/businesses?id=${REAL_ID}`,
        `GET /party-api/v1/parties/type/B/id/${REAL_ID}`,
        'GET /party-api/v1/businesses/id/00000000-0000-4000-8000-000000000000',
        'GET /party-api/v1/businesses/id/not-a-uuid',
        'GET /party-api/v1/businesses/ref/00000000000',
        'GET /party-api/v1/businesses?id=not-a-uuid',
        'GET /party-api/v1/businesses?id=00000000-0000-4000-8000-000000000000',
      ]) {
        await same(key);
      }
    });

    it('GET /businesses/id/<id>/attributes has the real shape', async () => {
      const r = await call(base, 'GET', api(`/businesses/id/${id}/attributes`));
      assert.equal(r.status, 200);
      const want = JSON.parse(expected(`GET /party-api/v1/businesses/id/${REAL_ID}/attributes`).body) as Record<string, Record<string, unknown>>;
      const got = r.json() as Record<string, Record<string, unknown>>;
      assert.match(String(got[CE]?.created_on), /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
      got[CE]!.created_on = want[CE]!.created_on;
      got[CE]!.id = want[CE]!.id;
      assert.deepEqual(got, want);
    });

    it('GET /businesses?id= without id, and with a known and an unknown id', async () => {
      const none = await call(base, 'GET', api('/businesses'));
      assert.equal(none.status, 400);
      assert.equal(none.text.trim(), '{"description":"The parameter id is required."}');
      const two = await call(base, 'GET', api(`/businesses?id=${id}&id=00000000-0000-4000-8000-000000000000`));
      assert.equal(two.status, 200);
      assert.equal((two.json() as unknown[]).length, 1);
    });

    it('POST /businesses validation: schema errors as a list, integers, tradstyles, non-JSON', async () => {
      const empty = await call(base, 'POST', api('/businesses'), {});
      assert.equal(empty.status, 400);
      const desc = (empty.json() as { description: string[] }).description;
      assert.ok(Array.isArray(desc));
      assert.ok(desc.includes("'sampleUnitRef' is a required property"), desc.join('|'));
      assert.ok(desc.includes("'runame1' is a required property"), desc.join('|'));

      for (const k of ['froempment', 'frotover', 'cell_no']) {
        const r = await call(base, 'POST', api('/businesses'), { ...POST_BODY, sampleUnitRef: '49999999990', [k]: 'abc' });
        assert.equal(r.status, 400, k);
        assert.deepEqual(r.json(), { description: ["'abc' is not of type 'integer'"] });
      }
      const noTrad: Record<string, unknown> = { ...POST_BODY, sampleUnitRef: '49999999991' };
      delete noTrad.tradstyle3;
      const r500 = await call(base, 'POST', api('/businesses'), noTrad);
      assert.equal(r500.status, 500);
      assert.equal(r500.text.trim(), '{}');

      const notJson = await call(base, 'POST', api('/businesses'), '{"sampleUnitRef": ');
      assert.equal(notJson.status, 400);
    });

    it('POST /businesses on an existing ref keeps the id and adds a version', async () => {
      const r = await call(base, 'POST', api('/businesses'), POST_BODY);
      assert.equal(r.status, 200);
      assert.equal((r.json() as { id: string }).id, id);
      // The newest version is not linked: reads still answer from the linked one.
      await same(`GET /party-api/v1/businesses/id/${REAL_ID}`);
    });

    it('POST /parties: 200 new, 409 duplicate for the sample, 400 not type B; PATCH upserts', async () => {
      const { sampleUnitRef, sampleUnitType, sampleSummaryId, ...attributes } = POST_BODY;
      void sampleUnitRef;
      const sample2 = '5a000000-0000-4000-8000-000000000002';
      const party = { sampleUnitRef: '49900000777', sampleUnitType, sampleSummaryId: sample2, attributes };
      const created = await call(base, 'POST', api('/parties'), party);
      assert.equal(created.status, 200, created.text);
      const dup = await call(base, 'POST', api('/parties'), party);
      assert.equal(dup.status, 409);
      assert.equal(dup.text.trim(), '{"description":"party already exists for sample"}');
      const bi = await call(base, 'POST', api('/parties'), { ...party, sampleUnitRef: '49900000778', sampleUnitType: 'BI' });
      assert.equal(bi.status, 400);
      const patched = await call(base, 'PATCH', api('/parties'), party);
      assert.equal(patched.status, 200);
      assert.equal((patched.json() as { id: string }).id, (created.json() as { id: string }).id);
      assert.equal((await call(base, 'PATCH', api('/parties'), { ...party, sampleUnitRef: '49900000779' })).status, 200);
      void sampleSummaryId;
    });

    it('DELETE /businesses/attributes/sample-summary/<sample> removes that sample\'s attributes', async () => {
      const sample3 = '5a000000-0000-4000-8000-000000000003';
      const post = await call(base, 'POST', api('/businesses'), { ...POST_BODY, sampleUnitRef: '49900000888', sampleSummaryId: sample3 });
      assert.equal(post.status, 200);
      assert.equal((await call(base, 'PUT', api(`/businesses/sample/link/${sample3}`), { collectionExerciseId: CE })).status, 200);
      assert.equal((await call(base, 'GET', api('/businesses/ref/49900000888'))).status, 200);
      const del = await call(base, 'DELETE', api(`/businesses/attributes/sample-summary/${sample3}`));
      assert.equal(del.status, 204);
      assert.equal(del.text, '');
      assert.equal((await call(base, 'GET', api('/businesses/ref/49900000888'))).status, 400);
      assert.equal((await call(base, 'DELETE', api('/businesses/attributes/sample-summary/nope'))).status, 400);
      // The seeded business of the first sample is untouched.
      await same(`GET /party-api/v1/businesses/id/${REAL_ID}`);
    });
  });
}

routeSuite('reference target routes (PGlite)', () => ({}));

const pgUrl = process.env.TEST_DATABASE_URL;
const schema = `party_test_${process.pid}_${Date.now()}`;
describe('reference target routes (PostgreSQL server)', { skip: pgUrl ? false : 'TEST_DATABASE_URL is not set (e.g. postgres://postgres:postgres@127.0.0.1:5432/postgres)' }, () => {
  routeSuite(
    'on TEST_DATABASE_URL',
    () => ({ databaseUrl: pgUrl, schema, resetSchema: true }),
    async () => {
      const c = new pg.Client({ connectionString: pgUrl });
      await c.connect();
      await c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await c.end();
    },
  );
});
