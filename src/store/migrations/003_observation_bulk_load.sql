-- Observations are the one high-volume table. Its foreign keys cost one index probe per row and
-- constraint (≈ 60 % of the merge time of a large import), while every id in it is resolved by
-- the import service inside the same transaction from the tables it points to, and nothing
-- deletes indicators, periods or batches that observations use (areas with observations cannot
-- be removed: src/services/areas.ts). So the fact table keeps its checks and primary key, and
-- drops the per-row foreign-key triggers, as data warehouses do for their fact tables.
ALTER TABLE observation DROP CONSTRAINT IF EXISTS observation_indicator_id_fkey;
ALTER TABLE observation DROP CONSTRAINT IF EXISTS observation_period_id_fkey;
ALTER TABLE observation DROP CONSTRAINT IF EXISTS observation_area_id_fkey;
ALTER TABLE observation DROP CONSTRAINT IF EXISTS observation_import_batch_id_fkey;
ALTER TABLE observation_history DROP CONSTRAINT IF EXISTS observation_history_import_batch_id_fkey;
ALTER TABLE observation_history DROP CONSTRAINT IF EXISTS observation_history_replaced_by_batch_id_fkey;
