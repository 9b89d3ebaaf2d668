// Addresses built from the contract's routes (web/src/api.ts, apiPath) are the ones the views wrote
// by hand before: the cache keys and the server's answers depend on them.
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { apiPath, qs } from '../../web/src/api.ts';

it('fills in and encodes path parameters, the rest is the query', () => {
  assert.equal(apiPath('GET /api/layers'), '/api/layers');
  assert.equal(apiPath('GET /api/indicators/:key', { key: 'anteil_unter6' }), '/api/indicators/anteil_unter6');
  assert.equal(
    apiPath('GET /api/layers/:layer/areas', { layer: 'stadtteil', geometry: false }),
    '/api/layers/stadtteil/areas?geometry=false',
  );
  const layer = 'a b/c';
  const code = '01100101';
  assert.equal(
    apiPath('GET /api/layers/:layer/areas/:area/profile', { layer, area: code, at: '2024-12-31' }),
    `/api/layers/${encodeURIComponent(layer)}/areas/${encodeURIComponent(code)}/profile${qs({ at: '2024-12-31' })}`,
  );
  assert.equal(apiPath('DELETE /api/tokens/:id', { id: 7 }), '/api/tokens/7');
});

it('leaves out empty query values, in the order given, as qs does', () => {
  const q = { indicator: 'einwohner', layer: 'stadtteil', period: '', at: undefined, geschlecht: 'w' };
  assert.equal(apiPath('GET /api/observations', q), `/api/observations${qs(q)}`);
  assert.equal(
    apiPath('GET /api/observations', { indicator: 'x', layer: 'y', period: null }),
    '/api/observations?indicator=x&layer=y',
  );
});
