// The youth forum on the demo city: two forums, topics in every state, supports by code with
// one count above and one below the public threshold, an overdue topic and the accountability view.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { openDatabase, type Database } from '../../src/store/db.ts';
import { migrate } from '../../src/store/migrate.ts';
import { SYSTEM } from '../../src/core/access.ts';
import { loadDemo } from '../../src/services/demo.ts';
import {
  accountabilityView,
  forumTile,
  listForums,
  moderationQueue,
  publicTopics,
  staffTopics,
} from '../../src/services/forum.ts';
import { tempDir } from '../helpers/files.ts';

describe('youth forum on the demo city', () => {
  const tmp = tempDir();
  let db: Database;
  before(async () => {
    db = await openDatabase({ dataDir: tmp.dir });
    await migrate(db);
    await loadDemo(db, { addresses: false, measures: false, dailyUntil: '2024-12-31' });
  });
  after(async () => {
    await db?.close();
    tmp.cleanup();
  });

  test('two forums with topics in every state', async () => {
    const forums = await listForums(db);
    assert.equal(forums.length, 2);
    const pub = await publicTopics(db);
    assert.equal(pub.length, 5);
    assert.equal((await moderationQueue(db, SYSTEM)).length, 1);
    const statuses = new Set<string>(pub.map((t) => t.answer?.status ?? 'none'));
    for (const s of ['wird_umgesetzt', 'in_pruefung', 'abgelehnt', 'none']) assert.ok(statuses.has(s), s);
    const supports = pub.map((t) => t.supports).filter((n) => n !== null);
    assert.deepEqual(supports, [7], 'only the count of 7 is public; 3 is withheld');
    assert.ok(
      pub.some((t) => t.overdue),
      'an overdue topic',
    );
    const staff = await staffTopics(db, SYSTEM);
    assert.ok(staff.some((t) => t.supports === 3));
    const tile = await forumTile(db);
    assert.ok(tile.open >= 2 && tile.overdue >= 1);
    const acc = await accountabilityView(db);
    assert.ok(acc.byDepartment.length >= 3);
  });
});
