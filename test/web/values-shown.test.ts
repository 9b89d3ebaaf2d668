// Every indicator value on screen carries its own status: no view formats a value as if its status
// were known to be final (a provisional or estimated value would lose its p or s).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { formatMeasured } from '../../src/contracts/format.ts';

const WEB = join(import.meta.dirname, '..', '..', 'web', 'src');

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) =>
    d.isDirectory() ? sources(join(dir, d.name)) : /\.tsx?$/.test(d.name) ? [join(dir, d.name)] : [],
  );
}

/** The arguments of each call of `name` in a source (split at commas outside brackets and strings). */
function callArguments(source: string, name: string): string[][] {
  const out: string[][] = [];
  for (let at = source.indexOf(`${name}(`); at >= 0; at = source.indexOf(`${name}(`, at + 1)) {
    const args: string[] = [];
    let depth = 0;
    let quote = '';
    let cur = '';
    for (let i = at + name.length + 1; i < source.length; i++) {
      const c = source[i];
      if (quote) {
        cur += c;
        if (c === quote && source[i - 1] !== '\\') quote = '';
        continue;
      }
      if (c === "'" || c === '"' || c === '`') quote = c;
      if (c === '(' || c === '[' || c === '{') depth++;
      if (c === ')' || c === ']' || c === '}') {
        if (depth === 0) {
          args.push(cur.trim());
          break;
        }
        depth--;
      }
      if (c === ',' && depth === 0) {
        args.push(cur.trim());
        cur = '';
      } else cur += c;
    }
    out.push(args);
  }
  return out;
}

test('no web source passes a status it made up to the value formatter', () => {
  const found = sources(WEB).flatMap((f) =>
    callArguments(readFileSync(f, 'utf8'), 'formatCell')
      .filter((args) => /'(final|provisional|estimated)'/.test(args[1] ?? ''))
      .map((args) => `${f.slice(WEB.length + 1)}: formatCell(${args.slice(0, 2).join(', ')}, …)`),
  );
  assert.deepEqual(found, []);
});

test('formatMeasured: unit, flag, symbol and disclosure note from the value and its indicator', () => {
  const of = { unit: '%', decimals: 1 };
  assert.equal(formatMeasured({ value: 12.34, status: 'provisional' }, of), '12,3\u00a0%\u00a0p');
  assert.equal(formatMeasured({ value: 12.34, status: 'estimated' }, of, 'en'), '12.3\u00a0%\u00a0s');
  assert.equal(formatMeasured({ value: null, status: 'suppressed' }, of), '.');
  assert.equal(
    formatMeasured({ value: 3, status: 'final', disclosure: 'primary' }, { unit: 'Kinder', decimals: 0 }),
    '3\u00a0Kinder\u00a0(primär geheimgehalten)',
  );
  assert.equal(formatMeasured({ value: 1234.5, status: 'final' }, of, 'de', { unit: false }), '1.234,5');
});
