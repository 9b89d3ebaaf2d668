-- Saved composite index definitions (versioned) and the lineage of derived indicators (issue #5).
CREATE TABLE index_definition (
  id         serial PRIMARY KEY,
  key        text NOT NULL CHECK (key ~ '^[a-z][a-z0-9_]*$'),
  version    integer NOT NULL,
  definition jsonb NOT NULL,
  created_by text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (key, version)
);

-- Where a derived indicator comes from: { "kind": "index", "definition": key, "version": n, "inputs": [...], "period": ... }.
ALTER TABLE indicator ADD COLUMN lineage jsonb;

ALTER TABLE import_batch DROP CONSTRAINT IF EXISTS import_batch_kind_check;
ALTER TABLE import_batch ADD CONSTRAINT import_batch_kind_check CHECK (kind IN ('areas', 'indicators', 'observations', 'demo', 'index'));
