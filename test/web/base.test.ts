// The web app's mount point (web/src/base.ts): addresses get it, routes and next= values do not.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readBase, stripBase, withBase, BASE } from '../../web/src/base.ts';

test('the base named by the server, or "/" for anything else', () => {
  assert.equal(BASE, '/', 'no document: one municipality');
  assert.equal(readBase('/t/bad-vilbel/'), '/t/bad-vilbel/');
  for (const bad of [
    null,
    undefined,
    '',
    't/a/',
    '/t/a',
    '/t/A/',
    '//evil.org/',
    '/t/a/../b/',
    'https://evil.org/t/a/',
    '/t/a-/',
  ])
    assert.equal(readBase(bad), '/', String(bad));
});

test('withBase and stripBase', () => {
  assert.equal(withBase('/api/indicators', '/t/a/'), '/t/a/api/indicators');
  assert.equal(withBase('/atlas?layer=x', '/t/a/'), '/t/a/atlas?layer=x');
  assert.equal(withBase('/', '/t/a/'), '/t/a/');
  assert.equal(withBase('/api/x', '/'), '/api/x');
  for (const other of ['#inhalt', 'mailto:x@y.de', 'https://example.org/', '//evil.org/x'])
    assert.equal(withBase(other, '/t/a/'), other);
  assert.equal(stripBase('/t/a/atlas', '/t/a/'), '/atlas');
  assert.equal(stripBase('/t/a/', '/t/a/'), '/');
  assert.equal(stripBase('/t/a', '/t/a/'), '/');
  assert.equal(stripBase('/atlas', '/'), '/atlas');
  assert.equal(stripBase(withBase('/profil', '/t/x-y/'), '/t/x-y/'), '/profil');
});
