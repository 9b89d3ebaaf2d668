// The members and rules of the JSON-stat 2.0 dataset schema (json-stat.org, and the rules of the
// format's validator) that a writer can break; jsonstat-toolkit reads leniently, so the tests
// check these as well.
import assert from 'node:assert/strict';

const product = (size: number[]) => size.reduce((a, b) => a * b, 1);

/**
 * The members and rules of the JSON-stat 2.0 dataset schema that a writer can break: no member
 * outside the schema, id/size/dimension agree, value and status have one entry per cell, roles
 * name dimensions, the metric dimension has a unit, ids and notes are unique.
 */
export function assertJsonStatShape(d: Record<string, unknown>): void {
  const allowed = [
    'version',
    'class',
    'href',
    'label',
    'note',
    'link',
    'updated',
    'source',
    'error',
    'extension',
    'id',
    'size',
    'role',
    'dimension',
    'value',
    'status',
  ];
  for (const k of Object.keys(d)) assert.ok(allowed.includes(k), `dataset member ${k}`);
  const id = d.id as string[];
  const size = d.size as number[];
  const dims = d.dimension as Record<string, { label?: string; category: Record<string, unknown> }>;
  assert.equal(id.length, size.length);
  assert.deepEqual(Object.keys(dims).sort(), [...id].sort());
  assert.equal(new Set(id).size, id.length);
  for (const [i, key] of id.entries()) {
    const dim = dims[key];
    for (const k of Object.keys(dim))
      assert.ok(['href', 'label', 'note', 'link', 'extension', 'category'].includes(k), `dimension member ${k}`);
    for (const k of Object.keys(dim.category))
      assert.ok(['index', 'label', 'note', 'unit', 'coordinates', 'child'].includes(k), `category member ${k}`);
    const index = dim.category.index as string[];
    assert.equal(index.length, size[i], key);
    assert.equal(new Set(index).size, index.length, `${key}: unique categories`);
    assert.ok(
      index.every((c) => typeof c === 'string'),
      `${key}: category ids are strings`,
    );
    if (dim.category.label !== undefined)
      assert.ok(Object.keys(dim.category.label as object).length > 0, `${key}: a label member has labels`);
  }
  const cells = product(size);
  assert.equal((d.value as unknown[]).length, cells);
  if (d.status !== undefined) assert.equal((d.status as unknown[]).length, cells);
  const role = d.role as Record<string, string[]>;
  for (const [r, list] of Object.entries(role)) {
    assert.ok(['time', 'geo', 'metric'].includes(r));
    for (const x of list) assert.ok(id.includes(x), `role ${r}: ${x}`);
  }
  for (const m of role.metric ?? [])
    assert.ok(Object.keys((dims[m].category.unit as object | undefined) ?? {}).length > 0, `metric ${m} has a unit`);
  if (d.note !== undefined) assert.equal(new Set(d.note as string[]).size, (d.note as string[]).length, 'unique notes');
  if (d.link !== undefined)
    for (const rel of Object.keys(d.link as object)) assert.ok(['self', 'alternate'].includes(rel), rel);
  assert.equal(d.version, '2.0');
  assert.equal(d.class, 'dataset');
}
