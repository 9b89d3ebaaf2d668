-- The sealed pipeline (issue 14): definitions that turn personal records into area counts,
-- stored and versioned like index definitions, and import batches of the kind 'sealed'. No
-- table here holds a record, an address or a date of birth: only definitions (column names,
-- bands, mappings) — the counts go to observation, the lineage to import_batch.options.
CREATE TABLE sealed_definition (
  id         serial PRIMARY KEY,
  key        text NOT NULL CHECK (key ~ '^[a-z][a-z0-9_]*$'),
  version    integer NOT NULL,
  definition jsonb NOT NULL,
  created_by text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (key, version)
);

ALTER TABLE import_batch DROP CONSTRAINT IF EXISTS import_batch_kind_check;
ALTER TABLE import_batch ADD CONSTRAINT import_batch_kind_check
  CHECK (kind IN ('areas', 'indicators', 'observations', 'demo', 'index', 'addresses', 'facilities', 'reallocation', 'sealed'));
