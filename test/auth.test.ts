import { test } from 'node:test';
import assert from 'node:assert/strict';
import { credentialedBase } from '../lib/auth.ts';

test('credentials that need no encoding go into the base URL, before the host', () => {
  assert.equal(credentialedBase('http://127.0.0.1:8081', 'admin', 'secret'), 'http://admin:secret@127.0.0.1:8081');
  assert.equal(credentialedBase('https://party.example/api', 'u-1.x_~', 'P4ss-w.rd'), 'https://u-1.x_~:P4ss-w.rd@party.example/api');
  // What a URL parser makes of it: the same user and password back.
  const u = new URL(credentialedBase('http://localhost:8081/x', 'admin', 'secret')!);
  assert.deepEqual([u.username, u.password, u.host, u.pathname], ['admin', 'secret', 'localhost:8081', '/x']);
});

test('anything a URL would encode, an empty value, or a base URL it cannot safely extend keeps the header', () => {
  for (const [user, password] of [['admin', 'p@ss'], ['admin', 'a:b'], ['ad min', 'x'], ['admin', 'pa%20ss'], ['admin', ''], ['', 'secret'], ['admin', 'sécret']]) {
    assert.equal(credentialedBase('http://127.0.0.1:8081', user!, password!), null, `${user} / ${password}`);
  }
  assert.equal(credentialedBase('http://other:pw@127.0.0.1:8081', 'admin', 'secret'), null, 'userinfo already there');
  assert.equal(credentialedBase('ftp://127.0.0.1', 'admin', 'secret'), null);
  assert.equal(credentialedBase('http://', 'admin', 'secret'), null);
});
