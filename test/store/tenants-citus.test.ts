// Citus schema-based sharding (Citus 12+) is not in Debian, so CI cannot run it. This check reads
// the migrations and the SQL in the sources and rejects what Citus refuses for tables of a
// distributed schema (its schema_based_sharding.c: foreign tables, inheritance, partitions
// across schemas, foreign keys to other schemas except reference tables, extension-owned
// objects, moving tables between schemas), the rule system (not supported by Citus at all), and
// search paths left on a connection (decision 0035).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { loadMigrations } from '../../src/store/migrate.ts';

const SHARED = join('src', 'store', 'shared-migrations');

/** SQL without -- comments (function bodies stay: they are checked too). */
function withoutComments(sql: string): string {
  return sql.replace(/--[^\n]*/g, '');
}

/** Constructs Citus refuses in a distributed schema, or that tie one schema to another. */
const REFUSED: [RegExp, string][] = [
  [/\bcreate\s+foreign\s+table\b/i, 'a foreign table (not allowed in a distributed schema)'],
  [/\binherits\s*\(/i, 'table inheritance (tables in a distributed schema cannot inherit or be inherited)'],
  [/\bpartition\s+of\s+[a-z_][a-z0-9_]*\s*\./i, 'a partition of a table in another schema'],
  [/\breferences\s+[a-z_][a-z0-9_]*\s*\.\s*[a-z_]/i, 'a foreign key to a table of another schema'],
  [/\bcreate\s+(or\s+replace\s+)?rule\b/i, 'a rule (the rule system is not supported by Citus)'],
  [/\bset\s+schema\b/i, 'moving an object to another schema (refused for tables of a distributed schema)'],
  [/\bcreate\s+extension\b/i, 'an extension (extension-owned objects cannot be in a distributed schema)'],
  [
    /\b(public|km_shared|t_[a-z0-9_]+|pg_temp)\s*\.\s*[a-z_]/i,
    'a name qualified with a schema (a tenant schema must resolve everything through its search path)',
  ],
  [/\bset\s+(session\s+)?search_path\b/i, 'a search path set for the connection (only SET LOCAL, per transaction)'],
];

function offences(sql: string, rules = REFUSED): string[] {
  const text = withoutComments(sql);
  return rules.filter(([re]) => re.test(text)).map(([re, why]) => `${why}: ${text.match(re)![0]}`);
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? sourceFiles(p) : p.endsWith('.ts') ? [p] : [];
  });
}

describe('Citus schema-based sharding check', () => {
  test('the check finds what it is meant to find', () => {
    assert.equal(offences('CREATE TABLE a (id int REFERENCES km_shared.tenant (key));').length, 2);
    assert.equal(offences('CREATE TABLE b () INHERITS (a);').length, 1);
    assert.equal(offences('CREATE RULE r AS ON INSERT TO a DO NOTHING;').length, 1);
    assert.equal(offences('SET search_path TO t_a').length, 1);
    assert.equal(offences('SET SESSION search_path TO t_a').length, 1);
    assert.deepEqual(offences('BEGIN; SET LOCAL search_path TO t_a'), []);
    assert.deepEqual(offences('CREATE TABLE c (id int REFERENCES area (id)); -- public.x in a comment'), []);
    assert.deepEqual(offences('SELECT o.area_id FROM observation o JOIN area a ON a.id = o.area_id'), []);
  });

  test('no tenant migration uses a construct Citus refuses in a distributed schema', () => {
    const found = loadMigrations().flatMap((m) => offences(m.sql).map((o) => `${m.version}_${m.name}: ${o}`));
    assert.deepEqual(found, []);
  });

  test('the shared schema’s tables can be reference tables: no foreign key into a tenant schema', () => {
    const found = loadMigrations(SHARED).flatMap((m) =>
      offences(m.sql).map((o) => `shared ${m.version}_${m.name}: ${o}`),
    );
    assert.deepEqual(found, []);
    for (const m of loadMigrations(SHARED))
      assert.doesNotMatch(
        withoutComments(m.sql),
        /\breferences\b/i,
        `${m.name}: reference tables may not reference distributed tables`,
      );
  });

  test('the SQL the code sends names no other schema and sets no search path for the connection', () => {
    // The tenant directory code works on the shared schema and the schema names it validates; the
    // connection-level search path of the single-schema mode is set at connect (decision 0035).
    const allowed: Record<string, RegExp[]> = {
      [join('src', 'store', 'db.ts')]: [/search_path/],
      [join('src', 'store', 'tenants.ts')]: [/search_path/, /km_shared/],
    };
    const found: string[] = [];
    for (const file of sourceFiles('src')) {
      const text = readFileSync(file, 'utf8');
      // String literals and templates only: the SQL, not the TypeScript around it.
      const strings = text.match(/`[^`]*`|'(?:[^'\\\n]|\\.)*'/g) ?? [];
      for (const s of strings) {
        for (const o of offences(s)) if (!(allowed[file] ?? []).some((re) => re.test(o))) found.push(`${file}: ${o}`);
      }
    }
    assert.deepEqual(found, []);
  });
});
