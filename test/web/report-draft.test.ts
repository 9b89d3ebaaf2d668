// The report editor's working copy: each step (add, move, remove, change a field) gives a new
// draft that core's shape check accepts once the required fields are filled in.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { draftBody, draftOf, draftSteps as step, freshKey, type Draft } from '../../web/src/views/Reports/draft.ts';
import { BLOCK_FIELDS, BLOCK_TYPES, definitionProblems, emptySpec } from '../../src/core/report/model.ts';
import { shippedTemplate } from '../../src/core/report/templates.ts';

const base = (): Draft => draftOf(shippedTemplate('stadtteilprofil')!.definition);
const keys = (d: Draft) => d.sections.map((s) => s.blocks.map((b) => b.key));
const check = (d: Draft) => definitionProblems({ ...d, key: 'probe', owner: null });

describe('report editor draft', () => {
  it('a new block gets a fresh key and the area parameter; it is named as a problem until its fields are filled', () => {
    let d = step.addBlock(base(), 0, 'map');
    const b = d.sections[0].blocks.at(-1)!;
    assert.equal(b.key, 'map-1');
    assert.deepEqual(b.spec, { type: 'map', title: '', indicator: '', layer: 'stadtteil' });
    assert.deepEqual(
      check(d).map((p) => p.block),
      ['map-1', 'map-1'],
    );
    const i = d.sections[0].blocks.length - 1;
    d = step.setField(step.setField(d, 0, i, 'title', 'Karte'), 0, i, 'indicator', 'anteil_unter6');
    assert.deepEqual(check(d), []);
    assert.equal(freshKey(d, 'map'), 'map-2');
  });

  it('every block type starts with its required fields, and an empty optional field is removed', () => {
    for (const type of BLOCK_TYPES) {
      const spec = emptySpec(type, { layer: 'stadtteil', area: '$area' }) as unknown as Record<string, unknown>;
      for (const f of BLOCK_FIELDS[type]) assert.equal(f.name in spec, f.required, `${type}.${f.name}`);
    }
    let d = step.addBlock(base(), 0, 'data');
    const i = d.sections[0].blocks.length - 1;
    d = step.setField(d, 0, i, 'period', '2023');
    assert.equal((d.sections[0].blocks[i].spec as { period?: string }).period, '2023');
    d = step.setField(d, 0, i, 'period', '');
    assert.ok(!('period' in d.sections[0].blocks[i].spec));
  });

  it('moves blocks within a section and across its edges, and sections among each other', () => {
    const d0 = base();
    const first = d0.sections[0].blocks[0].key;
    const second = d0.sections[0].blocks[1].key;
    assert.deepEqual(keys(step.moveBlock(d0, 0, 0, 1))[0].slice(0, 2), [second, first]);
    // Up from the top of section 2 ends at the bottom of section 1.
    const top2 = d0.sections[1].blocks[0].key;
    const up = step.moveBlock(d0, 1, 0, -1);
    assert.equal(up.sections[0].blocks.at(-1)!.key, top2);
    assert.equal(up.sections[1].blocks.length, d0.sections[1].blocks.length - 1);
    // At the very top nothing moves.
    assert.equal(step.moveBlock(d0, 0, 0, -1), d0);
    const titles = d0.sections.map((s) => s.title);
    assert.deepEqual(
      step.moveSection(d0, 0, 1).sections.map((s) => s.title),
      [titles[1], titles[0], ...titles.slice(2)],
    );
    assert.equal(step.removeSection(d0, 0).sections.length, titles.length - 1);
    assert.deepEqual(check(step.moveBlock(d0, 1, 0, -1)), []);
  });

  it('the body the API takes: title, subtitle when given, parameters and sections; the input is not changed', () => {
    const d0 = base();
    const before = JSON.stringify(d0);
    const d = step.setSubtitle(step.setTitle(d0, 'Neu'), '');
    assert.deepEqual(Object.keys(draftBody(d)), ['title', 'parameters', 'sections']);
    assert.equal(JSON.stringify(d0), before);
    assert.deepEqual(Object.keys(draftBody(d0)), ['title', 'parameters', 'sections', 'subtitle']);
  });
});
