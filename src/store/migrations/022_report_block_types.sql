-- Report block types are a closed list in core (core/report/model.ts BLOCK_TYPES), checked when a
-- report is saved (checkDefinition) and by the HTTP schema. A copy of the list in a CHECK here
-- needed a migration for every new block type (index, typology, facilities, topics); dropped.
ALTER TABLE report_block DROP CONSTRAINT IF EXISTS report_block_type_check;
