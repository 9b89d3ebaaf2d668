-- The transaction that wrote each import batch. The services keep a read snapshot of the
-- catalogue and cached sums until data change (src/services/snapshot.ts); every change comes
-- with an import batch. The snapshot remembers the database snapshot it was read in, and a
-- batch whose transaction was not visible then means "changed". Before, the check compared
-- max(id) and count(*) of all batches, which scans the whole table on every read request and
-- grows with every import; this one looks only at batches from transactions at or after the
-- remembered snapshot's horizon, through the index.
ALTER TABLE import_batch ADD COLUMN xact_id xid8 NOT NULL DEFAULT pg_current_xact_id();
CREATE INDEX import_batch_xact ON import_batch (xact_id);
