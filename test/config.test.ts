import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError, parseConfig, parseDurationMs, hostOf, isLoopback, ENV_NAMES } from '../lib/config.ts';

const problems = (env: Record<string, string>, profile = 'smoke'): string[] => {
  try {
    parseConfig(env, profile);
  } catch (e) {
    assert.ok(e instanceof ConfigError, String(e));
    return e.problems;
  }
  assert.fail('expected a ConfigError');
};

test('defaults: the scenario profile against the local reference target', () => {
  const c = parseConfig({}, 'report');
  assert.equal(c.baseUrl, 'http://127.0.0.1:8081');
  assert.equal(c.profile.name, 'report');
  assert.equal(c.plan.scenarios.length, 45);
  assert.equal(c.user, 'admin');
  assert.equal(c.password, 'secret');
  assert.equal(c.seed, null);
  assert.equal(c.label, 'report');
  assert.equal(c.dataFile, '../data/businesses.csv');
  assert.equal(c.preflight, true);
});

test('env overrides every field of the profile', () => {
  const c = parseConfig({
    PROFILE: 'report', ROUTES: 'id, ref', COUNTS: '100', OFFSETS: '50,1000', ORDER: 'parallel-routes', TIMEOUT: '5s',
    MAX_VUS: '20', SEED: '42', LABEL: 'pool-100', GATE_SUCCESS_RATE: '95', GATE_P95: '800', GATE_NOT_SENT: '0',
    BASE_URL: 'http://localhost:9000/', PARTY_USER: 'u', PARTY_PASSWORD: 'p', PREFLIGHT: 'false',
  }, 'smoke');
  assert.deepEqual(c.profile.routes, ['id', 'ref']);
  assert.deepEqual(c.profile.counts, [100]);
  assert.deepEqual(c.profile.offsets, [50, 1000]);
  assert.equal(c.profile.order, 'parallel-routes');
  assert.equal(c.profile.timeoutMs, 5000);
  assert.equal(c.profile.maxVUs, 20);
  assert.deepEqual(c.profile.gates, { successRate: 0.95, p95Ms: 800, maxNotSent: 0, maxLateShare: 0.01 });
  assert.equal(c.seed, 42);
  assert.equal(c.label, 'pool-100');
  assert.equal(c.baseUrl, 'http://localhost:9000');
  assert.equal(c.plan.scenarios.length, 4);
  assert.equal(c.preflight, false);
});

test('the built-in profile objects are not changed by overrides', () => {
  parseConfig({ COUNTS: '77', GATE_P95: 'off' }, 'smoke');
  assert.deepEqual(parseConfig({}, 'smoke').profile.counts, [40]);
  assert.equal(parseConfig({}, 'smoke').profile.gates.p95Ms, 1000);
});

test('bad values: one message lists every problem, naming the variable and the fix', () => {
  const p = problems({ COUNTS: '100,abc', OFFSETS: '-5', TIMEOUT: 'soon', SEED: 'x', LABEL: 'a b', ORDER: 'random', PROFILE: 'nope', GATE_P95: 'fast' });
  const text = p.join('\n');
  for (const name of ['COUNTS', 'OFFSETS', 'TIMEOUT', 'SEED', 'LABEL', 'ORDER', 'PROFILE', 'GATE_P95']) {
    assert.match(text, new RegExp(`^${name}`, 'm'), `${name} is reported`);
  }
  assert.match(text, /COUNTS="100,abc": expected a comma-separated list of whole numbers.*e\.g\. COUNTS=100,200,500/);
  assert.match(text, /PROFILE="nope": unknown profile: use one of report, quick, smoke, single-route, stress/);
  assert.ok(new ConfigError(p).message.includes('nothing was sent'));
});

test('ranges and names are checked beyond the shape', () => {
  assert.match(problems({ COUNTS: '0' }).join(), /COUNTS: 0 is out of range/);
  assert.match(problems({ TIMEOUT: '10ms' }).join(), /TIMEOUT: 10 is out of range/);
  assert.match(problems({ GATE_SUCCESS_RATE: '120' }).join(), /GATE_SUCCESS_RATE: 120 is out of range/);
  assert.match(problems({ ROUTES: 'id,businesses' }).join(), /ROUTES: unknown route "businesses": use any of query, id, ref/);
});

test('plan problems come in the same message: a combination under 1 s', () => {
  assert.match(problems({ ROUTES: 'id', COUNTS: '10', OFFSETS: '50' }).join(), /id_c10_o50: .* k6 rejects scenarios under 1 s/);
});

test('a remote host is refused unless ALLOW_HOSTS names it', () => {
  const p = problems({ BASE_URL: 'https://party.prod.example.gov.uk' });
  assert.match(p.join(), /party\.prod\.example\.gov\.uk is not a loopback address.*ALLOW_HOSTS=party\.prod\.example\.gov\.uk/);
  const c = parseConfig({ BASE_URL: 'https://party.perf.example:8443/', ALLOW_HOSTS: 'other, PARTY.perf.example' }, 'smoke');
  assert.equal(c.host, 'party.perf.example');
  for (const url of ['http://localhost:1', 'http://127.0.0.1', 'http://127.5.6.7:80', 'http://[::1]:8081']) parseConfig({ BASE_URL: url }, 'smoke');
});

test('credentials in BASE_URL are refused: they would leak into k6 output', () => {
  assert.match(problems({ BASE_URL: 'http://admin:secret@127.0.0.1:8081' }).join(), /BASE_URL=.*without credentials/);
});

test('helpers', () => {
  assert.equal(parseDurationMs('30s'), 30_000);
  assert.equal(parseDurationMs('2m'), 120_000);
  assert.equal(parseDurationMs('250ms'), 250);
  assert.equal(parseDurationMs('1500'), 1500);
  assert.equal(hostOf('http://[::1]:80/x'), '[::1]');
  assert.equal(hostOf('https://Example.COM/x'), 'example.com');
  assert.equal(isLoopback('127.0.0.1'), true);
  assert.equal(isLoopback('10.0.0.1'), false);
  assert.ok(ENV_NAMES.includes('BASE_URL') && ENV_NAMES.includes('GATE_P95'));
});

test('options.cloud: name, project, stack and load zones from env; none without a cloud variable', () => {
  // k6 < v0.50 warns 'unknown field "cloud"' on every local run that exports it.
  assert.equal(parseConfig({ K6_CLOUD_TOKEN: 'x', LABEL: 'a' }, 'smoke').cloud, null);
  assert.deepEqual(parseConfig({ CLOUD_NAME: 'nightly' }, 'smoke').cloud, { name: 'nightly' });
  assert.deepEqual(parseConfig({ K6_CLOUD_STACK_ID: '4242' }, 'smoke').cloud, { name: 'party-perf smoke', stackID: 4242 });
  assert.match(problems({ K6_CLOUD_STACK_ID: 'my-stack' }).join(), /K6_CLOUD_STACK_ID="my-stack"/);
  const c = parseConfig({ K6_CLOUD_PROJECT_ID: '123456', CLOUD_ZONES: 'amazon:gb:london=60, amazon:ie:dublin=40', LABEL: 'cache-on' }, 'report');
  assert.deepEqual(c.cloud, {
    name: 'party-perf report (cache-on)',
    projectID: 123456,
    distribution: {
      amazon_gb_london: { loadZone: 'amazon:gb:london', percent: 60 },
      amazon_ie_dublin: { loadZone: 'amazon:ie:dublin', percent: 40 },
    },
  });
  assert.match(problems({ CLOUD_ZONES: 'amazon:gb:london=60' }).join(), /CLOUD_ZONES: the shares add up to 60/);
  assert.match(problems({ K6_CLOUD_PROJECT_ID: 'abc' }).join(), /K6_CLOUD_PROJECT_ID="abc"/);
});

test('VALIDATE: on for the gate and write profiles, off for the VU-heavy ones, env decides', () => {
  const on = ['quick', 'smoke', 'writes', 'mixed'];
  const off = ['report', 'single-route', 'stress'];
  for (const p of on) assert.equal(parseConfig({}, p).profile.validate, true, p);
  for (const p of off) assert.equal(parseConfig({}, p).profile.validate, false, p);
  assert.equal(parseConfig({ VALIDATE: 'true' }, 'report').profile.validate, true);
  assert.equal(parseConfig({ VALIDATE: 'false' }, 'smoke').profile.validate, false);
  assert.match(problems({ VALIDATE: 'yes' }).join(), /VALIDATE="yes": expected true/);
});

test('WRITE_RATIO: only where reads and writes run side by side', () => {
  const c = parseConfig({ WRITE_RATIO: '0.2' }, 'mixed');
  assert.equal(c.profile.writeRatio, 0.2);
  const writes = c.plan.scenarios.filter((s) => s.route.includes('_')).reduce((n, s) => n + s.count, 0);
  assert.ok(Math.abs(writes / c.plan.requests - 0.2) < 0.02, `writes are ${writes} of ${c.plan.requests}`);
  assert.match(problems({ WRITE_RATIO: '0.2' }, 'smoke').join(), /WRITE_RATIO applies only when reads and writes run side by side/);
  assert.match(problems({ WRITE_RATIO: '2' }, 'mixed').join(), /WRITE_RATIO="2"/);
});
