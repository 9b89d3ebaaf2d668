import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import iconv from 'iconv-lite';
import ExcelJS from 'exceljs';
import { openTable, rowWidthProblem, type OpenTable, type TableRow } from '../../src/formats/table.ts';
import { InputRejected } from '../../src/core/problems.ts';
import { parseValueCell } from '../../src/core/values.ts';

let dir: string;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kommunalmonitor-table-'));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function fixture(name: string, content: string | Buffer): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, content);
  return path;
}

async function allRows(table: OpenTable): Promise<TableRow[]> {
  const rows: TableRow[] = [];
  for await (const r of table.rows) rows.push(r);
  return rows;
}

async function rejection(p: Promise<unknown>, code: string): Promise<InputRejected> {
  try {
    await p;
  } catch (e) {
    assert.ok(e instanceof InputRejected, `expected InputRejected, got ${String(e)}`);
    assert.equal(e.problems[0].code, code, e.message);
    assert.ok(e.problems[0].hint, 'a hint is given');
    return e;
  }
  assert.fail(`expected rejection with ${code}`);
}

test('CSV: UTF-8 with BOM, CRLF, semicolons, German decimals', async () => {
  const path = await fixture(
    'bom.csv',
    '\uFEFFindicator;area;period;altersgruppe;value\r\n' +
      'einwohner;01100101;30.06.2022;unter6;169,0\r\n' +
      'einwohner;01100102;30.06.2022;unter6;1.234,5\r\n',
  );
  const table = await openTable(path);
  assert.equal(table.format, 'csv');
  assert.deepEqual(table.columns, ['indicator', 'area', 'period', 'altersgruppe', 'value']);
  assert.equal(table.delimiter, ';');
  assert.equal(table.encoding, 'utf-8');
  assert.equal(table.decimal, ',');
  assert.equal(table.headerLine, 1);
  assert.equal(table.file, path);
  const rows = await allRows(table);
  assert.deepEqual(rows, [
    { line: 2, cells: ['einwohner', '01100101', '30.06.2022', 'unter6', '169,0'] },
    { line: 3, cells: ['einwohner', '01100102', '30.06.2022', 'unter6', '1.234,5'] },
  ]);
  assert.equal(typeof rows[0].cells[1], 'string');
  assert.deepEqual(parseValueCell(rows[0].cells[4] as string, table.decimal), { value: 169, status: 'final' });
  assert.deepEqual(parseValueCell(rows[1].cells[4] as string, table.decimal), { value: 1234.5, status: 'final' });
  assert.equal(table.bytesRead(), table.totalBytes);
});

test('CSV: Windows-1252 is detected', async () => {
  const path = await fixture('ansi.csv', iconv.encode('Straße;Größe\r\nMüllerstraße;1,5\r\n', 'windows-1252'));
  const table = await openTable(path);
  assert.equal(table.encoding, 'windows-1252');
  assert.deepEqual(table.columns, ['Straße', 'Größe']);
  assert.deepEqual(await allRows(table), [{ line: 2, cells: ['Müllerstraße', '1,5'] }]);
  // An explicit encoding wins over detection.
  await rejection(openTable(path, { encoding: 'utf-8' }), 'bad-encoding');
  const explicit = await openTable(path, { encoding: 'windows-1252' });
  assert.deepEqual(explicit.columns, ['Straße', 'Größe']);
});

test('CSV: Windows-1252 after 64 KiB of ASCII switches the encoding while reading', async () => {
  const lines = ['name;wert'];
  for (let i = 0; i < 5000; i++) lines.push(`zeile${i};${i}`);
  lines.push('Größe;1');
  const path = await fixture('late-ansi.csv', iconv.encode(lines.join('\n') + '\n', 'windows-1252'));
  const table = await openTable(path);
  assert.equal(table.encoding, 'utf-8');
  const rows = await allRows(table);
  assert.equal(table.encoding, 'windows-1252');
  assert.deepEqual(rows.at(-1), { line: 5002, cells: ['Größe', '1'] });
});

test('CSV: invalid UTF-8 after UTF-8 umlauts is rejected with a line', async () => {
  const head = 'name;wert\nStraße;1\n' + 'a;1\n'.repeat(20000);
  const path = await fixture(
    'mixed.csv',
    Buffer.concat([Buffer.from(head, 'utf8'), iconv.encode('Größe;2\n', 'windows-1252')]),
  );
  const table = await openTable(path);
  const e = await rejection(allRows(table), 'bad-encoding');
  assert.equal(e.problems[0].line, 20003);
});

test('CSV: commas, quoted fields with delimiters and line breaks', async () => {
  const path = await fixture(
    'comma.csv',
    'area,name,value\n' +
      '01,"Mitte, Berlin",1234.5\n' +
      '02,"Zeile eins\nZeile zwei\r\nZeile drei",2\n' +
      '\n' +
      '03,"Sagt ""Hallo""",-0.5\n' +
      '04,Ende,1\n',
  );
  const table = await openTable(path);
  assert.equal(table.delimiter, ',');
  assert.equal(table.decimal, '.');
  assert.deepEqual(await allRows(table), [
    { line: 2, cells: ['01', 'Mitte, Berlin', '1234.5'] },
    { line: 3, cells: ['02', 'Zeile eins\nZeile zwei\r\nZeile drei', '2'] },
    { line: 7, cells: ['03', 'Sagt "Hallo"', '-0.5'] },
    { line: 8, cells: ['04', 'Ende', '1'] },
  ]);
});

test('CSV: line numbers with CRLF inside quotes, blank rows and mixed line endings', async () => {
  const path = await fixture('lines.csv', 'a;b\r\n"x\r\ny";1\r\n;\r\n\r\nz;2\nw;3\r\n\r\n\r\n');
  const rows = await allRows(await openTable(path));
  assert.deepEqual(rows, [
    { line: 2, cells: ['x\r\ny', '1'] },
    { line: 6, cells: ['z', '2'] },
    { line: 7, cells: ['w', '3'] },
  ]);
  const late = await openTable(await fixture('late-header.csv', '\n\r\na;b\n1;2\n'));
  assert.equal(late.headerLine, 3);
  assert.deepEqual(await allRows(late), [{ line: 4, cells: ['1', '2'] }]);
});

test('CSV: tab-delimited and pipe-delimited files', async () => {
  const tab = await openTable(await fixture('tab.tsv', 'area\tvalue\n01\t12,5\n'));
  assert.equal(tab.delimiter, '\t');
  assert.equal(tab.decimal, ',');
  assert.deepEqual(await allRows(tab), [{ line: 2, cells: ['01', '12,5'] }]);
  const tabTxt = await openTable(await fixture('tab.txt', 'area\tvalue\n01\t12,5\n'));
  assert.equal(tabTxt.delimiter, '\t');
  const pipe = await openTable(await fixture('pipe.csv', 'a|b|c\n1|2|3\n'));
  assert.equal(pipe.delimiter, '|');
  assert.deepEqual(pipe.columns, ['a', 'b', 'c']);
  const overridden = await openTable(await fixture('given.csv', 'a,b;c\n1,2;3\n'), { delimiter: ',', decimal: ',' });
  assert.deepEqual(overridden.columns, ['a', 'b;c']);
  assert.equal(overridden.decimal, ',');
});

test('CSV: a wrong number of columns is yielded and can be reported', async () => {
  const path = await fixture(
    'width.csv',
    'indicator;area;period;altersgruppe;value\n' +
      'a;1;2022;x;1\n'.repeat(5) +
      'a;1;2022;1\n' +
      'a;1;2022;x;1;\n' +
      'a;1;2022;x;1;extra\n',
  );
  const table = await openTable(path);
  const rows = await allRows(table);
  assert.equal(rows.length, 8);
  assert.equal(rowWidthProblem(table, rows[0]), null);
  const short = rowWidthProblem(table, rows[5]);
  assert.ok(short);
  assert.equal(short.line, 7);
  assert.equal(short.reason, 'line 7 has 4 columns, the header has 5');
  assert.equal(short.file, path);
  // A trailing delimiter does not count as an extra column; real extra content does.
  assert.deepEqual(rows[6].cells, ['a', '1', '2022', 'x', '1']);
  assert.equal(rowWidthProblem(table, rows[7])?.reason, 'line 9 has 6 columns, the header has 5');
});

test('CSV: rows can be iterated again and iteration can stop early', async () => {
  const path = await fixture('again.csv', 'a;b\n' + '1;2\n'.repeat(1000));
  const table = await openTable(path);
  for await (const row of table.rows) {
    assert.equal(row.line, 2);
    break;
  }
  assert.equal((await allRows(table)).length, 1000);
  let batched = 0;
  for await (const batch of table.batches) batched += batch.length;
  assert.equal(batched, 1000);
  await table.close();
});

test('CSV: header problems are rejected with position and hint', async () => {
  await rejection(openTable(join(dir, 'missing.csv')), 'file-not-found');
  await rejection(openTable(await fixture('data.json', '{}')), 'unknown-format');
  await rejection(openTable(await fixture('old.xls', 'x')), 'unknown-format');
  await rejection(openTable(await fixture('empty.csv', '')), 'no-header');
  await rejection(openTable(await fixture('blank.csv', '\r\n\r\n')), 'no-header');
  await rejection(openTable(dir.replace(/$/, '/') + '.', {}), 'unknown-format');
  const dup = await rejection(openTable(await fixture('dup.csv', 'area;value;area\n1;2;3\n')), 'duplicate-column');
  assert.equal(dup.problems[0].line, 1);
  assert.equal(dup.problems[0].column, 3);
  assert.match(dup.problems[0].reason, /columns 1 and 3/);
  const empty = await rejection(
    openTable(await fixture('emptyname.csv', '\n\narea;;value\n1;2;3\n')),
    'empty-column-name',
  );
  assert.equal(empty.problems[0].line, 3);
  assert.equal(empty.problems[0].column, 2);
  const trailing = await rejection(
    openTable(await fixture('trailing.csv', 'area;value;\n1;2;\n')),
    'empty-column-name',
  );
  assert.match(trailing.problems[0].hint ?? '', /ends with a delimiter/);
  const utf16 = await fixture('utf16.csv', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('a;b\n', 'utf16le')]));
  await rejection(openTable(utf16), 'unsupported-encoding');
});

test('CSV: an unclosed quote is reported while reading', async () => {
  const path = await fixture('quote.csv', 'a;b\n1;2\n3;"open\n4;5\n');
  const table = await openTable(path);
  const e = await rejection(allRows(table), 'csv-syntax');
  assert.equal(typeof e.problems[0].line, 'number');
});

test('CSV: header lines are trimmed and the BOM is removed', async () => {
  const table = await openTable(await fixture('trim.csv', '\uFEFF indicator ;"area ";value\n'));
  assert.deepEqual(table.columns, ['indicator', 'area', 'value']);
  assert.deepEqual(await allRows(table), []);
});

test('CSV: 200,000 rows stream with correct line numbers', async () => {
  const parts = ['indicator;area;period;value\r\n'];
  for (let i = 0; i < 200_000; i++) parts.push(`einwohner;${String(i).padStart(8, '0')};2022;${i},5\r\n`);
  const path = await fixture('large.csv', parts.join(''));
  const table = await openTable(path);
  let count = 0;
  let last: TableRow | undefined;
  for await (const row of table.rows) {
    count++;
    if (row.line !== count + 1) assert.fail(`row ${count} has line ${row.line}`);
    last = row;
  }
  assert.equal(count, 200_000);
  assert.deepEqual(last, { line: 200_001, cells: ['einwohner', '00199999', '2022', '199999,5'] });
  assert.equal(table.bytesRead(), table.totalBytes);
});

// Quote-free lines are split directly; from the first quote (or bare CR) on, csv-parse reads the
// rest. Both must give the same rows and physical line numbers, across 128 KiB chunk boundaries.
test('CSV: a quote or a bare CR deep in a large file hands over to the full parser without losing rows or lines', async () => {
  const plain = (i: number) => `einwohner;${String(i).padStart(8, '0')};Straße ${i};${i},5`;
  const lines = ['indicator;area;name;value'];
  for (let i = 0; i < 30_000; i++) lines.push(plain(i));
  lines.push(
    'einwohner;q1;"Weg ""am"" See;\r\nzweite Zeile";7',
    '',
    plain(30_000),
    'einwohner;cr;bare\rbreak;1',
    plain(30_001),
  );
  const path = await fixture('switch.csv', '\uFEFF' + lines.join('\r\n') + '\r\n');
  const rows = await allRows(await openTable(path));
  assert.equal(rows.length, 30_000 + 5);
  for (let i = 0; i < 30_000; i++) {
    if (rows[i].line !== i + 2 || rows[i].cells[2] !== `Straße ${i}`)
      assert.fail(`row ${i}: ${JSON.stringify(rows[i])}`);
  }
  assert.deepEqual(rows.slice(30_000), [
    { line: 30_002, cells: ['einwohner', 'q1', 'Weg "am" See;\r\nzweite Zeile', '7'] },
    { line: 30_005, cells: plain(30_000).split(';') },
    // A bare CR is a line break (record delimiters CRLF, LF, CR), and counts as one.
    { line: 30_006, cells: ['einwohner', 'cr', 'bare'] },
    { line: 30_007, cells: ['break', '1'] },
    { line: 30_008, cells: plain(30_001).split(';') },
  ]);
});

test('CSV: an unclosed quote deep in a file is reported at its physical line', async () => {
  const lines = ['a;b'];
  for (let i = 0; i < 20_000; i++) lines.push(`${i};x`);
  lines.push('9;"open', '1;2');
  const e = await rejection(
    allRows(await openTable(await fixture('late-quote.csv', lines.join('\n') + '\n'))),
    'csv-syntax',
  );
  assert.equal(e.problems[0].line, 20_002);
});

test('CSV: multi-byte characters split between chunks, and a line without end longer than the limit', async () => {
  // 'ü' (2 bytes) lands on every possible chunk boundary offset somewhere in 40,000 lines.
  const lines = ['a;b'];
  for (let i = 0; i < 40_000; i++) lines.push(`${'ü'.repeat(i % 7)};${i}`);
  const rows = await allRows(await openTable(await fixture('umlaut.csv', lines.join('\n'))));
  assert.equal(rows.length, 40_000);
  assert.ok(rows.every((r, i) => r.cells[0] === 'ü'.repeat(i % 7) && r.cells[1] === String(i) && r.line === i + 2));
  const long = await fixture('long.csv', 'a;b\n1;2\n' + 'x'.repeat(9 * 1024 * 1024));
  const e = await rejection(allRows(await openTable(long)), 'csv-syntax');
  assert.equal(e.problems[0].line, 3);
});

async function writeWorkbook(path: string): Promise<void> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('Daten');
  ws.addRow(['indicator', 'area', 'period', 'value', 'note']);
  ws.addRow(['einwohner', '01100101', new Date(Date.UTC(2022, 5, 30)), 169, 'plain']);
  ws.addRow([
    'einwohner',
    '01100102',
    new Date(Date.UTC(2022, 5, 30)),
    1234.5,
    { richText: [{ text: 'rich ' }, { font: { bold: true }, text: 'text' }] },
  ]);
  ws.addRow(['einwohner', '01100103', '30.06.2022', { formula: 'D2+D3', result: 1403.5 }]);
  ws.addRow([]);
  ws.addRow(['einwohner', null, '2022', '12,5', null]);
  ws.getCell('C4').numFmt = '@';
  const second = wb.addWorksheet('Zweites Blatt');
  second.getCell('A3').value = 'code';
  second.getCell('B3').value = 'name';
  second.getCell('A4').value = '001';
  second.getCell('B4').value = 'Mitte';
  wb.addWorksheet('Versetzt').getCell('B1').value = 'code';
  await wb.xlsx.writeFile(path);
}

test('XLSX: numbers, dates, text with leading zeros, rich text, formulas, empty cells', async () => {
  const path = join(dir, 'data.xlsx');
  await writeWorkbook(path);
  const table = await openTable(path);
  assert.equal(table.format, 'xlsx');
  assert.equal(table.sheet, 'Daten');
  assert.deepEqual(table.columns, ['indicator', 'area', 'period', 'value', 'note']);
  assert.equal(table.headerLine, 1);
  assert.equal(table.decimal, ',');
  const rows = await allRows(table);
  assert.deepEqual(rows, [
    { line: 2, cells: ['einwohner', '01100101', '2022-06-30', 169, 'plain'] },
    { line: 3, cells: ['einwohner', '01100102', '2022-06-30', 1234.5, 'rich text'] },
    { line: 4, cells: ['einwohner', '01100103', '30.06.2022', 1403.5, null] },
    { line: 6, cells: ['einwohner', null, '2022', '12,5', null] },
  ]);
  assert.equal(rowWidthProblem(table, rows[2]), null);
  assert.equal(table.bytesRead(), table.totalBytes);
  // A second pass reopens the file; stopping early releases it.
  for await (const row of table.rows) {
    assert.equal(row.line, 2);
    break;
  }
  assert.equal((await allRows(table)).length, 4);
});

test('XLSX: sheets by name and number; the header is the first non-empty row', async () => {
  const path = join(dir, 'sheets.xlsx');
  await writeWorkbook(path);
  for (const sheet of ['Zweites Blatt', 'zweites blatt', 2]) {
    const table = await openTable(path, { sheet });
    assert.equal(table.sheet, 'Zweites Blatt');
    assert.deepEqual(table.columns, ['code', 'name']);
    assert.equal(table.headerLine, 3);
    assert.deepEqual(await allRows(table), [{ line: 4, cells: ['001', 'Mitte'] }]);
  }
  const e = await rejection(openTable(path, { sheet: 'Fehlt' }), 'sheet-not-found');
  assert.match(e.problems[0].hint ?? '', /"Daten", "Zweites Blatt", "Versetzt"/);
  await rejection(openTable(path, { sheet: 4 }), 'sheet-not-found');
  const shifted = await rejection(openTable(path, { sheet: 'Versetzt' }), 'empty-column-name');
  assert.match(shifted.problems[0].hint ?? '', /start in the first column/);
  // Closing without reading releases the file.
  const unread = await openTable(path);
  await unread.close();
});

test('XLSX: a file that is not a workbook is rejected', async () => {
  await rejection(openTable(await fixture('fake.xlsx', 'indicator;area\n')), 'bad-xlsx');
});

test('Berlin population file (shared data)', async (t) => {
  const folder = resolve('../shared/data/berlin');
  if (!existsSync(folder)) {
    t.skip(`folder ${folder} not found`);
    return;
  }
  const table = await openTable(join(folder, 'einwohner-plr-2022-06.csv'));
  assert.equal(table.delimiter, ';');
  assert.ok(table.columns.length > 1);
  assert.ok(table.columns.every((c) => c.length > 0 && !c.startsWith('\uFEFF')));
  let count = 0;
  for await (const row of table.rows) {
    assert.equal(rowWidthProblem(table, row), null);
    count++;
  }
  assert.ok(count > 500, `${count} rows`);
});
