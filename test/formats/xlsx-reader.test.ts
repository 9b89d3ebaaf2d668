import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { strToU8, zipSync } from 'fflate';
import ExcelJS from 'exceljs';
import { isDateFormat, openWorkbook, XlsxFormatError } from '../../src/formats/xlsx-reader.ts';
import { openTable } from '../../src/formats/table.ts';
import { InputRejected } from '../../src/core/problems.ts';

const dir = mkdtempSync(join(tmpdir(), 'km-xlsx-'));

/** A workbook in the part order Excel itself writes (workbook first, shared strings last), with prefixed tags. */
function excelStyleWorkbook(path: string, options: { date1904?: boolean } = {}): void {
  const ns =
    'xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"';
  const parts: Record<string, string> = {
    '[Content_Types].xml':
      '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>',
    '_rels/.rels':
      '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>',
    'xl/workbook.xml': `<?xml version="1.0"?><x:workbook ${ns}><x:workbookPr${options.date1904 ? ' date1904="1"' : ''}/><x:sheets><x:sheet name="Übersicht" sheetId="7" r:id="rId9"/><x:sheet name="Werte" sheetId="3" r:id="rId2"/></x:sheets></x:workbook>`,
    'xl/_rels/workbook.xml.rels':
      '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
      '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/data.xml"/>' +
      '<Relationship Id="rId9" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="/xl/worksheets/first.xml"/>' +
      '<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>' +
      '<Relationship Id="rId4" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>' +
      '<Relationship Id="rId5" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink" Target="https://example.org" TargetMode="External"/>' +
      '</Relationships>',
    'xl/worksheets/first.xml': `<?xml version="1.0"?><x:worksheet ${ns}><x:sheetData><x:row r="1"><x:c r="A1" t="s"><x:v>0</x:v></x:c></x:row></x:sheetData></x:worksheet>`,
    'xl/worksheets/data.xml':
      `<?xml version="1.0"?><x:worksheet ${ns}><x:sheetData>` +
      '<x:row r="2"><x:c r="A2" t="s"><x:v>1</x:v></x:c><x:c r="B2" t="inlineStr"><x:is><x:t>area</x:t></x:is></x:c><x:c r="C2" t="s"><x:v>2</x:v></x:c><x:c r="D2" t="s"><x:v>3</x:v></x:c></x:row>' +
      // No r attributes: positions follow the order of the cells.
      '<x:row><x:c t="str"><x:f>A1</x:f><x:v>einwohner</x:v></x:c><x:c t="s"><x:v>4</x:v></x:c><x:c s="1"><x:v>44742</x:v></x:c><x:c><x:v>1234.5</x:v></x:c></x:row>' +
      '<x:row r="5"><x:c r="B5" t="b"><x:v>1</x:v></x:c><x:c r="C5" t="e"><x:v>#DIV/0!</x:v></x:c><x:c r="D5" s="2"><x:v>0.5</x:v></x:c><x:c r="AA5"><x:v>7</x:v></x:c></x:row>' +
      '<x:row r="6"><x:c r="A6" t="s"><x:v>5</x:v></x:c><x:c r="B6" t="d"><x:v>2022-06-30T00:00:00</x:v></x:c><x:c r="C6"/></x:row>' +
      '<x:row r="7"><x:c r="A7" t="inlineStr"><x:is><x:t></x:t></x:is></x:c></x:row>' +
      '</x:sheetData></x:worksheet>',
    'xl/styles.xml':
      '<?xml version="1.0"?><styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><numFmts count="1"><numFmt numFmtId="164" formatCode="0.0&quot; h&quot;"/></numFmts>' +
      '<cellStyleXfs count="2"><xf numFmtId="14"/><xf numFmtId="14"/></cellStyleXfs>' +
      '<cellXfs count="3"><xf numFmtId="0"/><xf numFmtId="14" applyNumberFormat="1"/><xf numFmtId="164" applyNumberFormat="1"/></cellXfs></styleSheet>',
    'xl/sharedStrings.xml':
      '<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">' +
      '<si><t>Titelblatt</t></si><si><t>indicator</t></si><si><t>period</t></si><si><t xml:space="preserve">value </t></si>' +
      '<si><t>01100101</t></si>' +
      '<si><r><t>Kita</t></r><r><rPr><b/></rPr><t xml:space="preserve"> &amp; Schule</t></r><rPh sb="0" eb="1"><t>ignored</t></rPh></si>' +
      '</sst>',
  };
  writeFileSync(path, zipSync(Object.fromEntries(Object.entries(parts).map(([k, v]) => [k, strToU8(v)]))));
}

test('reads a workbook in Excel’s part order, with prefixed tags, relationships and every cell type', async () => {
  const path = join(dir, 'excel-order.xlsx');
  excelStyleWorkbook(path);
  const wb = await openWorkbook(path);
  try {
    assert.deepEqual(wb.sheets, [
      { name: 'Übersicht', position: 1 },
      { name: 'Werte', position: 2 },
    ]);
    const rows = [];
    for await (const batch of wb.rows(wb.sheets[1])) rows.push(...batch);
    assert.deepEqual(
      rows.map((r) => ({ number: r.number, cells: Array.from(r.cells, (c) => c ?? null) })),
      [
        { number: 2, cells: ['indicator', 'area', 'period', 'value '] },
        { number: 3, cells: ['einwohner', '01100101', '2022-06-30', 1234.5] },
        // 0.5 in a custom format with a quoted "h" is a number, not a time.
        { number: 5, cells: [null, 'true', '#DIV/0!', 0.5, ...new Array(22).fill(null), 7] },
        { number: 6, cells: ['Kita & Schule', '2022-06-30'] },
      ],
    );
    assert.equal(wb.progress(), 1);
  } finally {
    wb.close();
  }
});

test('dates in the 1904 date system', async () => {
  const path = join(dir, 'mac.xlsx');
  excelStyleWorkbook(path, { date1904: true });
  const table = await openTable(path, { sheet: 'werte' });
  const rows = [];
  for await (const row of table.rows) rows.push(row);
  assert.equal(table.headerLine, 2);
  assert.deepEqual(table.columns, ['indicator', 'area', 'period', 'value']);
  assert.equal(rows[0].cells[2], '2026-07-01');
});

test('a zip that is not a workbook and a file that is not a zip are format errors', async () => {
  const notWorkbook = join(dir, 'other.xlsx');
  writeFileSync(notWorkbook, zipSync({ 'readme.txt': strToU8('hello') }));
  await assert.rejects(openWorkbook(notWorkbook), XlsxFormatError);
  const notZip = join(dir, 'plain.xlsx');
  writeFileSync(notZip, 'indicator;area\n');
  await assert.rejects(openWorkbook(notZip), XlsxFormatError);
  await assert.rejects(
    openTable(notWorkbook),
    (e: unknown) =>
      e instanceof InputRejected && e.problems[0].code === 'bad-xlsx' && /xl\/workbook.xml/.test(e.problems[0].reason),
  );
});

test('a sheet with broken XML or a dangling shared string is reported, not read in part', async () => {
  const path = join(dir, 'broken.xlsx');
  const workbook = '<workbook xmlns:r="r"><sheets><sheet name="A" r:id="rId1"/></sheets></workbook>';
  const rels =
    '<Relationships><Relationship Id="rId1" Type="x/worksheet" Target="worksheets/sheet1.xml"/></Relationships>';
  for (const [sheet, pattern] of [
    [
      '<worksheet><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>a</t></is></c></row><row r="2"><c r="A2"><v>1</v></sheetData></worksheet>',
      /broken XML/,
    ],
    [
      '<worksheet><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>a</t></is></c></row><row r="2"><c r="A2" t="s"><v>9</v></c></row></sheetData></worksheet>',
      /shared string 9/,
    ],
  ] as const) {
    writeFileSync(
      path,
      zipSync({
        'xl/workbook.xml': strToU8(workbook),
        'xl/_rels/workbook.xml.rels': strToU8(rels),
        'xl/worksheets/sheet1.xml': strToU8(sheet),
      }),
    );
    await assert.rejects(
      (async () => {
        // A small sheet arrives in one piece, so the error may come while the header is read.
        const table = await openTable(path);
        for await (const _ of table.rows);
      })(),
      (e: unknown) =>
        e instanceof InputRejected && e.problems[0].code === 'bad-xlsx' && pattern.test(e.problems[0].reason),
    );
  }
});

test('opening and leaving many workbooks early is reliable (exceljs’ streaming reader failed here)', async () => {
  const path = join(dir, 'many.xlsx');
  const wb = new ExcelJS.Workbook();
  wb.addWorksheet('A').addRow(['x']);
  const b = wb.addWorksheet('B');
  b.addRow(['code', 'name']);
  b.addRow(['001', 'Mitte']);
  await wb.xlsx.writeFile(path);
  for (let i = 0; i < 300; i++) {
    const table = await openTable(path, { sheet: 'B' });
    const rows = [];
    for await (const row of table.rows) rows.push(row);
    assert.deepEqual(rows, [{ line: 2, cells: ['001', 'Mitte'] }]);
    await table.close();
  }
});

test('date formats', () => {
  for (const code of ['dd.mm.yyyy', 'DD.MM.YYYY', 'yyyy-mm-dd hh:mm', '[$-407]mmmm yy', 'h:mm', 'mm:ss'])
    assert.ok(isDateFormat(code), code);
  for (const code of ['General', '0.00', '#,##0 "Tage"', '0.0" h"', '[Red]0.00', '0.00E+00', '@', undefined])
    assert.ok(!isDateFormat(code), String(code));
});
