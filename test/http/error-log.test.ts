// The error log blanks quoted values out of messages, also a quoted value that holds quotes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { logError, redactQuoted, setErrorSink } from '../../src/http/error-log.ts';

test('quoted parts of a message are blanked, from the first quote of a line to its last', () => {
  assert.equal(
    redactQuoted('invalid input syntax for type integer: "Müller"'),
    'invalid input syntax for type integer: "…"',
  );
  assert.equal(
    redactQuoted(`Unexpected token 'x', "{"name":"Müller" x}" is not valid JSON`),
    'Unexpected token "…" is not valid JSON',
  );
  assert.equal(redactQuoted('no quotes here'), 'no quotes here');
  assert.equal(redactQuoted('an unclosed "Müller'), 'an unclosed "…');
  assert.equal(redactQuoted('a «Müller» b\nline "two"'), 'a "…" b\nline "…"');
});

test('a logged error is one JSON line without the quoted values', () => {
  const lines: string[] = [];
  const old = setErrorSink((l) => lines.push(l));
  try {
    logError({
      id: 'abc',
      origin: 'request',
      method: 'GET',
      route: '/api/x',
      error: new Error('value "Anna Schmidt" too long'),
    });
  } finally {
    setErrorSink(old);
  }
  assert.equal(lines.length, 1);
  const entry = JSON.parse(lines[0]);
  assert.equal(entry.id, 'abc');
  assert.equal(entry.route, '/api/x');
  assert.ok(!lines[0].includes('Anna'));
});
