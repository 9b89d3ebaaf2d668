// Maintains the transitive closure of the area hierarchy (area_ancestor).
import type { Queryable } from './db.ts';

/** Rebuilds the closure for every area; cheap even for tens of thousands of areas. */
export async function rebuildAreaClosure(tx: Queryable): Promise<void> {
  await tx.exec(`
    DELETE FROM area_ancestor;
    INSERT INTO area_ancestor (area_id, ancestor_id, depth)
    WITH RECURSIVE c(area_id, ancestor_id, depth) AS (
      SELECT id, id, 0 FROM area
      UNION ALL
      SELECT c.area_id, a.parent_id, c.depth + 1 FROM c JOIN area a ON a.id = c.ancestor_id WHERE a.parent_id IS NOT NULL
    )
    SELECT area_id, ancestor_id, depth FROM c;`);
}
