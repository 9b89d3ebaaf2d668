// The GENESIS flat file (ffcsv) reader and writer: both header layouts, the value symbols and
// quality flags, periods, and a written file read back.
import { describe, test, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { openTable } from '../../src/formats/table.ts';
import {
  genesisLayout,
  genesisPeriod,
  genesisTimeOf,
  isGenesisHeader,
  isRegionalVariable,
  parseGenesisValue,
  writeGenesisFfcsv,
} from '../../src/formats/genesis-ffcsv.ts';
import { ProblemList } from '../../src/core/problems.ts';
import { tempDir } from '../helpers/files.ts';

const FIXTURE = join(import.meta.dirname, '..', 'fixtures', 'genesis', '12411-02-03-5_flat.csv');

describe('GENESIS flat files (ffcsv)', () => {
  const tmp = tempDir();
  after(() => tmp.cleanup());

  test('the classic German header of the Regionaldatenbank: variables, value and quality column', async () => {
    const table = await openTable(FIXTURE);
    assert.equal(table.delimiter, ';');
    assert.equal(table.decimal, ',');
    assert.ok(isGenesisHeader(table.columns));
    const problems = new ProblemList();
    const l = genesisLayout(table, problems);
    assert.equal(problems.errorCount, 0, JSON.stringify(problems.items));
    assert.equal(l.variant, 'classic');
    assert.equal(table.columns[l.time], 'Zeit');
    assert.deepEqual(
      l.variables.map((v) => [v.number, v.attributeColumn]),
      [
        [1, '1_Auspraegung_Code'],
        [2, '2_Auspraegung_Code'],
      ],
    );
    assert.deepEqual(
      l.values.map((v) => [v.code, v.label, v.unit, table.columns[v.quality]]),
      [['BEVSTD', 'Bevoelkerungsstand', 'Anzahl', 'BEVSTD__Bevoelkerungsstand__q']],
    );
  });

  test('the 2024 layout (English column names, one value column) and the English spelling of the variables', async () => {
    const path = tmp.file(
      '1000A-0001_de_flat.csv',
      [
        'statistics_code;statistics_label;time_code;time_label;time;1_variable_code;1_variable_label;1_variable_attribute_code;1_variable_attribute_label;value;value_unit;value_variable_code;value_variable_label;value_q',
        '1000A;Bevölkerung kompakt;STAG;Stichtag;2022-05-15;GEOGM4;Gemeinden;092760130130;Lindberg;2294;Anzahl;PRS018;Personen;e',
      ].join('\n'),
    );
    const table = await openTable(path);
    const problems = new ProblemList();
    const l = genesisLayout(table, problems);
    assert.equal(problems.errorCount, 0);
    assert.equal(l.variant, '2024');
    assert.equal(table.columns[l.values[0].index], 'value');
    assert.equal(table.columns[l.values[0].quality], 'value_q');
    assert.equal(table.columns[l.valueCode], 'value_variable_code');
    assert.equal(l.variables[0].attributeColumn, '1_variable_attribute_code');
    assert.ok(
      isRegionalVariable('GEOGM4') &&
        isRegionalVariable('GEMEIN') &&
        isRegionalVariable('kreise') &&
        !isRegionalVariable('GES'),
    );
  });

  test('a header without value columns is a positioned error; other layouts are not taken for GENESIS', async () => {
    const table = await openTable(
      tmp.file('bad.csv', 'Statistik_Code;Zeit;1_Merkmal_Code;1_Merkmal_Label\n12411;2022;GEMEIN;Gemeinden\n'),
    );
    const problems = new ProblemList();
    genesisLayout(table, problems);
    assert.deepEqual(
      problems.items.map((p) => [p.code, p.line]),
      [
        ['missing-column', 1],
        ['missing-column', 1],
      ],
    );
    assert.equal(isGenesisHeader(['indicator', 'area', 'period', 'value']), false);
  });

  test('value symbols and quality flags: a secret value is null, never zero; "-" is exactly zero', () => {
    assert.deepEqual(parseGenesisValue('1.234,5', 'e', ','), { value: 1234.5, status: 'final' });
    assert.deepEqual(parseGenesisValue('12', 'p', ','), { value: 12, status: 'provisional' });
    assert.deepEqual(parseGenesisValue('12', 'r', ','), { value: 12, status: 'final', reason: 'revised' });
    assert.deepEqual(parseGenesisValue('12', 's', ','), { value: 12, status: 'estimated' });
    assert.deepEqual(parseGenesisValue('12', '', ','), { value: 12, status: 'final' });
    assert.deepEqual(parseGenesisValue('-', '', ','), { value: 0, status: 'final', symbol: '-' });
    assert.deepEqual(parseGenesisValue('.', '', ','), {
      value: null,
      status: 'suppressed',
      reason: 'secret or unknown',
      symbol: '.',
    });
    assert.deepEqual(parseGenesisValue('x', '', ','), {
      value: null,
      status: 'missing',
      reason: 'not applicable',
      symbol: 'x',
    });
    assert.deepEqual(parseGenesisValue('...', '', ','), {
      value: null,
      status: 'missing',
      reason: 'not yet available',
      symbol: '...',
    });
    assert.deepEqual(parseGenesisValue('/', '/', ','), {
      value: null,
      status: 'missing',
      reason: 'not reliable enough',
      symbol: '/',
    });
    const bad = parseGenesisValue('12.5', 'e', ',');
    assert.ok('error' in bad && /decimal separator/.test(bad.error) && /--decimal \./.test(bad.hint));
    const flag = parseGenesisValue('12', 'u', ',');
    assert.ok('error' in flag && /unknown quality flag "u"/.test(flag.error));
    const symbolFlag = parseGenesisValue('.', 'p', ',');
    assert.ok('error' in symbolFlag);
    const empty = parseGenesisValue('', '', ',');
    assert.ok('error' in empty && /empty/.test(empty.error));
    assert.ok('error' in parseGenesisValue('zwölf', '', ','));
  });

  test('periods: reference dates in both spellings, years, school years, months and quarters from MONAT/QUART', () => {
    assert.equal(genesisPeriod('31.12.2022', []), '2022-12-31');
    assert.equal(genesisPeriod('2022-05-15', []), '2022-05-15');
    assert.equal(genesisPeriod('2022', []), '2022');
    assert.equal(genesisPeriod('2022/23', []), '2022/23');
    assert.equal(genesisPeriod('2022', [{ code: 'MONAT', attribute: 'MONAT03' }]), '2022-03');
    assert.equal(genesisPeriod('2022', [{ code: 'QUARTG', attribute: 'QUART2' }]), '2022-Q2');
    assert.equal(genesisPeriod('Jahr 22', []), null);
    assert.deepEqual(genesisTimeOf('2022-12-31'), { code: 'STAG', label: 'Stichtag', time: '31.12.2022' });
    assert.deepEqual(genesisTimeOf('2022'), { code: 'JAHR', label: 'Jahr', time: '2022' });
  });

  test('a written flat file reads back with the same layout, values and statuses', async () => {
    const text = writeGenesisFfcsv({
      statisticCode: 'einwohner',
      statisticLabel: 'Einwohner (Kommunalmonitor)',
      timeCode: 'STAG',
      timeLabel: 'Stichtag',
      variables: [
        { code: 'GEMEIN', label: 'Gemeinden' },
        { code: 'GESCHLECHT', label: 'Geschlecht' },
      ],
      valueCode: 'EINWOHNER',
      valueLabel: 'Einwohner',
      unit: 'Personen',
      rows: [
        {
          time: '31.12.2022',
          attributes: [
            { code: '09276130', label: 'Lindberg' },
            { code: 'w', label: 'weiblich' },
          ],
          value: 1119.5,
          status: 'provisional',
          decimals: 1,
        },
        {
          time: '31.12.2022',
          attributes: [
            { code: '09276138', label: 'Rinchnach; Ort' },
            { code: 'w', label: 'weiblich' },
          ],
          value: null,
          status: 'suppressed',
        },
        {
          time: '31.12.2022',
          attributes: [
            { code: '09276113', label: 'Bayerisch Eisenstein' },
            { code: 'w', label: 'weiblich' },
          ],
          value: null,
          status: 'missing',
          reason: 'not applicable',
        },
        {
          time: '31.12.2022',
          attributes: [
            { code: '09276114', label: 'Bodenmais' },
            { code: 'w', label: 'weiblich' },
          ],
          value: 0,
          status: 'final',
        },
      ],
    });
    assert.ok(text.startsWith('\uFEFFStatistik_Code;Statistik_Label;Zeit_Code;Zeit_Label;Zeit;1_Merkmal_Code;'));
    assert.match(text, /;EINWOHNER__Einwohner__Personen;EINWOHNER__Einwohner__q\r\n/);
    const table = await openTable(tmp.file('written.csv', text));
    const problems = new ProblemList();
    const l = genesisLayout(table, problems);
    assert.equal(problems.errorCount, 0);
    const rows = [];
    for await (const r of table.rows) rows.push(r.cells);
    const v = l.values[0];
    assert.deepEqual(
      rows.map((c) => parseGenesisValue(c[v.index], c[v.quality], ',')),
      [
        { value: 1119.5, status: 'provisional' },
        { value: null, status: 'suppressed', reason: 'secret or unknown', symbol: '.' },
        { value: null, status: 'missing', reason: 'not applicable', symbol: 'x' },
        { value: 0, status: 'final' },
      ],
    );
    assert.equal(rows[1][l.variables[0].attributeLabel], 'Rinchnach; Ort', 'a label with the delimiter is quoted');
  });
});
