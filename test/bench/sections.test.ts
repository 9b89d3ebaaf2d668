import { test } from 'node:test';
import assert from 'node:assert/strict';
import { keepSections, spliceSection } from '../../bench/sections.ts';

const S = '<!-- x:start -->';
const E = '<!-- x:end -->';

test('a named section replaces only its own part of the document', () => {
  const doc = `# B\n\n${S}\nold\n${E}\n\n## Method notes\n- n\n`;
  assert.equal(spliceSection(doc, `${S}\nnew\n${E}`, S, E), `# B\n\n${S}\nnew\n${E}\n\n## Method notes\n- n\n`);
  assert.equal(
    spliceSection('# B\n\n## Method notes\n- n\n', `${S}\nnew\n${E}`, S, E),
    `# B\n\n${S}\nnew\n${E}\n\n## Method notes\n- n\n`,
  );
});

test('a full run keeps the sections it did not measure and replaces those it did', () => {
  const previous = `# old\n\n${S}\nkept\n${E}\n\n<!-- y:start -->\nstale\n<!-- y:end -->\n`;
  const fresh = `# new\n\n<!-- y:start -->\nmeasured\n<!-- y:end -->\n\n## Method notes\n- n\n`;
  const out = keepSections(previous, fresh, [
    [S, E],
    ['<!-- y:start -->', '<!-- y:end -->'],
  ]);
  assert.match(out, /kept/);
  assert.match(out, /measured/);
  assert.doesNotMatch(out, /stale/);
  assert.ok(out.indexOf('kept') < out.indexOf('## Method notes'));
  assert.equal(keepSections('', fresh, [[S, E]]), fresh);
});
