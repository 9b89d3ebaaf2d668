// The layout holds: SQL is written in src/store only (services, routes, commands and core call
// its functions), and the services do not import each other in a circle (also not through a type
// or a dynamic import). Reads the sources; no database, no compiler.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? sourceFiles(p) : /\.(ts|mjs)$/.test(p) ? [p] : [];
  });
}

/** The source without comments: whole-line // comments and /* … *\/ blocks (not `//` inside a string, as in a URL). */
function withoutComments(text: string): string {
  return text
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/^\s*\/\/.*$/gm, '')
    .replace(/[;,{}()]\s*\/\/.*$/gm, (m) => m[0]);
}

/**
 * Statements as this code base writes SQL: keywords in capitals, followed by what the grammar
 * wants there. Words like "select" or "update" in a sentence or an identifier do not match.
 */
const SQL: [RegExp, string][] = [
  [/\bSELECT\s+(?:DISTINCT\s+)?(?:[a-z_*"(]|\d|\$\d)[\s\S]{0,400}?\bFROM\s+[a-z_(]/, 'SELECT … FROM'],
  [/\bSELECT\s+(?:pg_|count\(|1\b|true\b|now\(\))/, 'SELECT'],
  [/\bINSERT\s+INTO\s+[a-z_]/, 'INSERT INTO'],
  [/\bUPDATE\s+[a-z_][a-z0-9_]*(?:\s+[a-z]+)?\s+SET\s/, 'UPDATE … SET'],
  [/\bDELETE\s+FROM\s+[a-z_]/, 'DELETE FROM'],
  [
    /\b(?:CREATE|ALTER|DROP)\s+(?:TEMP\s+|TEMPORARY\s+|UNLOGGED\s+)?(?:TABLE|INDEX|VIEW|SCHEMA|FUNCTION|TRIGGER)\b/,
    'DDL',
  ],
  [/\bTRUNCATE\s+[a-z_]/, 'TRUNCATE'],
  [/\bANALYZE\s+[a-z_]/, 'ANALYZE'],
  [/\bSET\s+(?:LOCAL|TRANSACTION|SESSION)\b/, 'SET'],
  [/\bWITH\s+(?:RECURSIVE\s+)?[a-z_][a-z0-9_]*(?:\([a-z_, ]*\))?\s+AS\s+(?:MATERIALIZED\s+)?\(/, 'WITH … AS ('],
];

/** Calls of the database interface that carry a table or a statement. */
const DB_CALLS = /\.(?:copyText|copyTo|queryOnce)\s*\(|\b(?:db|tx|q|client|pool)\.(?:query|exec)\s*(?:<[^>]*>)?\s*\(/;

function sqlIn(text: string): string[] {
  const code = withoutComments(text);
  const found = SQL.filter(([re]) => re.test(code)).map(
    ([re, what]) => `${what}: ${code.match(re)![0].slice(0, 80).replace(/\s+/g, ' ')}`,
  );
  const call = code.match(DB_CALLS);
  if (call) found.push(`a database call: ${call[0]}`);
  return found;
}

/** The services a service file imports (static, type-only, re-exports and dynamic imports). */
function serviceImports(file: string, root: string): string[] {
  const text = withoutComments(readFileSync(file, 'utf8'));
  const out: string[] = [];
  for (const m of text.matchAll(/(?:^\s*(?:import|export)\b[^'"`;]*?\bfrom\s*|\bimport\s*\(\s*)'([^']+)'/gm)) {
    if (!m[1].startsWith('.')) continue;
    const target = relative('.', resolve(dirname(file), m[1]));
    if (target.startsWith(root + sep)) out.push(target);
  }
  return out;
}

/** The import cycles of a graph (strongly connected components of more than one file, or a file importing itself). */
function cycles(graph: Map<string, string[]>): string[][] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const out: string[][] = [];
  const visit = (v: string) => {
    index.set(v, next);
    low.set(v, next++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const c: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        c.push(w);
      } while (w !== v);
      if (c.length > 1 || (graph.get(v) ?? []).includes(v)) out.push(c.sort());
    }
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return out;
}

describe('code layout', () => {
  test('the SQL check finds statements and leaves sentences alone', () => {
    assert.equal(sqlIn("await x('SELECT id, code FROM area WHERE layer_version_id = $1', [v]);").length, 1);
    assert.equal(sqlIn('const q = `SELECT a.code\n  FROM area a`;').length, 1);
    assert.equal(sqlIn("f('SELECT pg_current_snapshot()::text AS stamp')").length, 1);
    assert.equal(sqlIn("f('INSERT INTO audit_log (actor) VALUES ($1)')").length, 1);
    assert.equal(sqlIn("f('UPDATE indicator SET lineage = $2 WHERE key = $1')").length, 1);
    assert.equal(sqlIn("f('DELETE FROM facility WHERE facility_set_id = $1')").length, 1);
    assert.equal(sqlIn('f(`CREATE TEMP TABLE stage_x (a int) ON COMMIT DROP`)').length, 1);
    assert.equal(sqlIn("f('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ')").length, 1);
    assert.equal(sqlIn('f(`WITH src AS (\n SELECT 1)`)').length, 2);
    assert.equal(sqlIn('await tx.query(sql, [1]);').length, 1);
    assert.equal(sqlIn("await tx.copyText('facility', cols, text);").length, 1);
    assert.deepEqual(
      sqlIn("const t = 'Select an area from the list, then update the settings and delete from the table';"),
      [],
    );
    assert.deepEqual(sqlIn('// SELECT id FROM area: what the store reads\nconst x = 1;'), []);
    assert.deepEqual(
      sqlIn('const withheld = selectFrom(rows); const updated = updateSet(a); req.query.format; /^x$/.exec(s);'),
      [],
    );
  });

  test('no SQL outside src/store: services, routes, commands and core call store functions', () => {
    const found: string[] = [];
    for (const dir of ['services', 'http', 'cli', 'core'].map((d) => join('src', d))) {
      for (const file of sourceFiles(dir))
        for (const what of sqlIn(readFileSync(file, 'utf8'))) found.push(`${file}: ${what}`);
    }
    assert.deepEqual(found, []);
  });

  test('the cycle check finds a cycle', () => {
    const g = new Map([
      ['a', ['b']],
      ['b', ['c']],
      ['c', ['a']],
      ['d', ['a']],
    ]);
    assert.deepEqual(cycles(g), [['a', 'b', 'c']]);
    assert.deepEqual(cycles(new Map([['a', ['a']]])), [['a']]);
    assert.deepEqual(
      cycles(
        new Map([
          ['a', ['b']],
          ['b', []],
        ]),
      ),
      [],
    );
  });

  test('no service imports another service in a circle', () => {
    const root = join('src', 'services');
    const graph = new Map(sourceFiles(root).map((f) => [f, serviceImports(f, root)]));
    assert.ok(
      [...graph.values()].some((deps) => deps.length),
      'the services import each other somewhere: the import reader works',
    );
    assert.deepEqual(cycles(graph), []);
  });
});
