// The sealed statistics office's page (web/src/lib/sealed.ts): the definition form ↔ the document
// (fields the form does not know are kept), bands and mappings as typed, the server's problems
// at their fields, the run's address, and the disclosure marks of the counts.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  areaTotals,
  cellIdMembers,
  cellKey,
  disclosureMarks,
  docFromForm,
  emptyForm,
  formFromDoc,
  formProblems,
  formatBands,
  formatMap,
  markedCounts,
  minFrequencyOf,
  parseBands,
  parseMap,
  percent,
  primaryMark,
  problemField,
  problemsByField,
  runFileName,
  runUrl,
} from '../../web/src/lib/sealed.ts';
import { DEFINITION } from '../helpers/sealed-fixture.ts';
import { parseSealedDefinition } from '../../src/core/sealed/definition.ts';

describe('definition form', () => {
  it('the issue’s example goes through the form unchanged', () => {
    const form = formFromDoc(DEFINITION);
    assert.equal(form.key, 'ferienprogramm_2024');
    assert.equal(form.owner, 'jugendamt');
    assert.equal(form.addressMode, 'column');
    assert.equal(form.addressColumn, 'Anschrift');
    assert.equal(form.minFrequency, '3');
    assert.deepEqual(form.breakdowns, [
      {
        dimension: 'altersgruppe',
        from: 'Geburtsdatum',
        kind: 'bands',
        rules: '0-6:unter6; 6-10:6-10; 10-15:10-15; 15-99:15+',
      },
      { dimension: 'geschlecht', from: 'Geschlecht', kind: 'map', rules: 'w=weiblich; m=maennlich; d=divers' },
    ]);
    assert.deepEqual(docFromForm(form, DEFINITION), DEFINITION);
    assert.deepEqual(formProblems(form), {});
  });

  it('a definition made from an empty form is one the server accepts', () => {
    const form = {
      ...emptyForm(),
      key: 'kita_2024',
      indicatorKey: 'kita_kinder',
      indicatorName: 'Kinder in Kitas',
      unit: 'Kinder',
      owner: 'jugendamt',
      period: '2024',
      referenceDate: '31.12.2024',
      breakdowns: [
        { dimension: 'altersgruppe', from: 'Geburtsdatum', kind: 'bands' as const, rules: '0-3:u3; 3-7:3-6' },
      ],
    };
    assert.deepEqual(formProblems(form), {});
    const doc = docFromForm(form);
    assert.deepEqual(doc.indicator, {
      type: 'count',
      key: 'kita_kinder',
      name: 'Kinder in Kitas',
      unit: 'Kinder',
      owner: 'jugendamt',
      dimensions: ['altersgruppe'],
    });
    assert.deepEqual(doc.disclosure, { minFrequency: 3 });
    const r = parseSealedDefinition(doc, 'kita.json');
    assert.deepEqual(r.problems, []);
    assert.ok(r.definition);
  });

  it('fields the form does not edit are kept; switching the address mode replaces the address', () => {
    const base = {
      ...DEFINITION,
      layers: ['planungsraum'],
      maxUnassignedShare: 0.1,
      address: { column: 'Anschrift', strictPostcode: true },
      indicator: { ...DEFINITION.indicator, description: 'Kinder' },
    };
    const form = { ...formFromDoc(base), addressMode: 'street' as const, street: 'Strasse', number: 'Nr' };
    const doc = docFromForm(form, base);
    assert.deepEqual(doc.layers, ['planungsraum']);
    assert.equal(doc.maxUnassignedShare, 0.1);
    assert.equal((doc.indicator as { description: string }).description, 'Kinder');
    assert.deepEqual(doc.address, { strictPostcode: true, street: 'Strasse', number: 'Nr' });
    const xy = docFromForm({ ...form, addressMode: 'xy', x: 'X', y: 'Y', crs: 'EPSG:25833' }, base);
    assert.deepEqual(xy.address, { strictPostcode: true, x: 'X', y: 'Y', crs: 'EPSG:25833' });
    assert.equal(formFromDoc(xy).addressMode, 'xy');
    assert.equal(formFromDoc(doc).addressMode, 'street');
  });

  it('empty fields leave the document; unreadable rules stay as text for the server to name', () => {
    const form = { ...formFromDoc(DEFINITION), referenceDate: '', minFrequency: '' };
    const doc = docFromForm(form, DEFINITION);
    assert.equal('referenceDate' in doc, false);
    assert.equal('disclosure' in doc, false);
    const bad = docFromForm(
      { ...form, breakdowns: [{ dimension: 'altersgruppe', from: 'Geburtsdatum', kind: 'bands', rules: '0 bis 6' }] },
      DEFINITION,
    );
    assert.equal((bad.breakdowns as Record<string, { bands: unknown }>).altersgruppe.bands, '0 bis 6');
    assert.equal(
      formProblems({ ...form, breakdowns: [{ dimension: 'a', from: 'b', kind: 'bands', rules: '0 bis 6' }] })
        .breakdowns,
      'bands',
    );
    assert.equal(
      formProblems({ ...form, breakdowns: [{ dimension: 'a', from: 'b', kind: 'map', rules: 'w' }] }).breakdowns,
      'map',
    );
  });

  it('the form names what is missing or malformed', () => {
    const p = formProblems({
      ...emptyForm(),
      key: 'Ferien 2024',
      addressColumn: '',
      minFrequency: '0',
      referenceDate: '2024/07/31',
    });
    assert.equal(p.key, 'key');
    assert.equal(p.indicatorKey, 'required');
    assert.equal(p.owner, 'required');
    assert.equal(p.address, 'required');
    assert.equal(p.minFrequency, 'number');
    assert.equal(p.referenceDate, 'date');
  });
});

describe('bands and mappings as typed', () => {
  it('round trip', () => {
    assert.deepEqual(parseBands('0-6:unter6; 6-10:6-10;10 – 15 : 10-15'), [
      [0, 6, 'unter6'],
      [6, 10, '6-10'],
      [10, 15, '10-15'],
    ]);
    assert.equal(
      formatBands([
        [0, 6, 'unter6'],
        [15, 99, '15+'],
      ]),
      '0-6:unter6; 15-99:15+',
    );
    assert.deepEqual(parseMap('w=weiblich; m = maennlich'), { w: 'weiblich', m: 'maennlich' });
    assert.equal(formatMap({ w: 'weiblich', m: 'maennlich' }), 'w=weiblich; m=maennlich');
    assert.deepEqual(parseBands(''), []);
    assert.equal(parseBands('0-6'), null);
    assert.equal(parseMap('w='), null);
    assert.equal(parseMap('=w'), null);
  });
});

describe('server problems at their fields', () => {
  it('maps the field paths of the definition parser', () => {
    assert.equal(problemField('indicator.owner'), 'owner');
    assert.equal(problemField('indicator.key'), 'indicatorKey');
    assert.equal(problemField('address'), 'address');
    assert.equal(problemField('address.crs'), 'address');
    assert.equal(problemField('breakdowns.g.bands[0]'), 'breakdowns');
    assert.equal(problemField('disclosure.minFrequency'), 'minFrequency');
    assert.equal(problemField('referenceDate'), 'referenceDate');
    assert.equal(problemField('layers[0]'), 'raw');
    assert.equal(problemField(undefined), 'raw');
  });

  it('the problems of a real refusal land on the form’s fields', () => {
    const { problems } = parseSealedDefinition(
      {
        ...DEFINITION,
        address: { column: 'A', x: 'x', y: 'y' },
        disclosure: { minFrequency: 0 },
        referenceDate: '2024-13-45',
      },
      'x.json',
    );
    const by = problemsByField(problems);
    assert.ok(by.address?.length, JSON.stringify(problems));
    assert.ok(by.minFrequency?.length || by.referenceDate?.length, JSON.stringify(problems));
    assert.equal(by.raw, undefined, JSON.stringify(problems));
  });
});

describe('the run', () => {
  it('file names the route accepts', () => {
    assert.equal(runFileName('Anmeldungen 2024 (Juli).CSV'), 'Anmeldungen_2024_Juli_.csv');
    assert.equal(runFileName('C:\\Daten\\liste.xlsx'), 'liste.xlsx');
    assert.equal(runFileName('ä.csv'), '_.csv');
    assert.equal(runFileName('bericht.pdf'), null);
    assert.match(runFileName('ä.csv')!, /^[^/\\]+\.[A-Za-z0-9]+$/);
  });
  it('the address of a run', () => {
    assert.equal(
      runUrl('ferienprogramm_2024', 'a.csv', true),
      '/api/sealed/run?definition=ferienprogramm_2024&file=a.csv&dryRun=true',
    );
    assert.equal(runUrl('k', 'a.csv', false, 0.05), '/api/sealed/run?definition=k&file=a.csv&maxUnassignedShare=0.05');
  });
  it('shares in percent', () => {
    assert.equal(percent(5, 13), 38.5);
    assert.equal(percent(1, 0), 0);
  });
});

describe('disclosure marks', () => {
  const counts = [
    { layer: 'planungsraum', code: '0101', members: { geschlecht: 'weiblich', altersgruppe: '6-10' }, value: 2 },
    { layer: 'planungsraum', code: '0101', members: { geschlecht: 'maennlich', altersgruppe: '6-10' }, value: 0 },
    { layer: 'planungsraum', code: '0102', members: { geschlecht: 'weiblich', altersgruppe: '6-10' }, value: 5 },
  ];
  it('the dry run knows the primary cells: 1 … k−1, zeros are shown', () => {
    assert.equal(primaryMark(2, 3), 'primary');
    assert.equal(primaryMark(0, 3), undefined);
    assert.equal(primaryMark(3, 3), undefined);
    assert.equal(primaryMark(1, undefined), undefined);
    const rows = markedCounts(counts, 3);
    assert.deepEqual(
      rows.map((r) => r.mark),
      ['primary', undefined, undefined],
    );
    assert.deepEqual(areaTotals(rows), [
      { layer: 'planungsraum', code: '0101', total: 2, cells: 2, primary: 1, secondary: 0 },
      { layer: 'planungsraum', code: '0102', total: 5, cells: 1, primary: 0, secondary: 0 },
    ]);
  });
  it('the stored pattern from the disclosure route, both member key forms', () => {
    assert.deepEqual(cellIdMembers('altersgruppe\u00006-10\u0001geschlecht\u0000weiblich\u0001'), {
      altersgruppe: '6-10',
      geschlecht: 'weiblich',
    });
    assert.deepEqual(cellIdMembers('altersgruppe=6-10&geschlecht=weiblich'), {
      altersgruppe: '6-10',
      geschlecht: 'weiblich',
    });
    const pattern = disclosureMarks({
      reports: [
        {
          audit: {
            intervals: [
              {
                cell: 'planungsraum@2024-01-01 0101 [..]',
                id: '0|7|0101|altersgruppe\u00006-10\u0001geschlecht\u0000weiblich\u0001',
                suppression: 'primary',
              },
              {
                cell: 'planungsraum@2024-01-01 0102 [..]',
                id: '0|7|0102|altersgruppe\u00006-10\u0001geschlecht\u0000weiblich\u0001',
                suppression: 'secondary',
              },
              { cell: 'planungsraum@2024-01-01 Gesamt', id: '0|7|*|', suppression: 'secondary' },
            ],
          },
        },
      ],
    });
    assert.equal(pattern.size, 2);
    assert.equal(
      pattern.get(cellKey('planungsraum', '0102', { geschlecht: 'weiblich', altersgruppe: '6-10' })),
      'secondary',
    );
    const rows = markedCounts(counts, 3, pattern);
    assert.deepEqual(
      rows.map((r) => r.mark),
      ['primary', undefined, 'secondary'],
    );
    assert.equal(areaTotals(rows)[1].secondary, 1);
  });
  it('minFrequency of a definition', () => {
    assert.equal(minFrequencyOf(DEFINITION), 3);
    assert.equal(minFrequencyOf({}), undefined);
    assert.equal(minFrequencyOf(null), undefined);
  });
});
