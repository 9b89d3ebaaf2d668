-- Address register history (issue #6): the register keeps versions, each valid from a date; an
-- import adds a version instead of replacing the register. Optional resident counts per address
-- (population weights from address points). Decision: docs/decisions/0008-address-register-versions.md.

CREATE TABLE address_register_version (
  id                serial PRIMARY KEY,
  -- the version is valid from this date until the next version's valid_from
  valid_from        date NOT NULL UNIQUE,
  import_batch_id   integer NOT NULL REFERENCES import_batch (id),
  file_name         text,
  addresses         integer NOT NULL CHECK (addresses >= 0),
  with_coordinates  integer NOT NULL CHECK (with_coordinates >= 0),
  streets           integer NOT NULL CHECK (streets >= 0),
  -- the column the resident counts came from (import addresses --residents); null: no counts
  residents_column  text,
  -- Σ residents of the version (null without counts); per address only in address.residents
  residents_total   bigint CHECK (residents_total >= 0),
  -- SHA-256 of the stored rows in a canonical form (src/services/addresses.ts registerDigest):
  -- an identical re-import for the same date changes nothing. Null for the version converted
  -- from the register kept before this migration (computed from its rows when first needed).
  content_sha256    text,
  created_at        timestamptz NOT NULL DEFAULT now(),
  CHECK ((residents_column IS NULL) = (residents_total IS NULL))
);

ALTER TABLE address ADD COLUMN version_id integer REFERENCES address_register_version (id) ON DELETE CASCADE;
-- Residents registered at the address (Melderegister), only when imported with --residents.
-- Sensitive: never returned per address (no API, no match output, no export); used only summed
-- into crosswalk weights.
ALTER TABLE address ADD COLUMN residents integer CHECK (residents >= 0);

-- The register kept so far (a snapshot: every row from one import batch) becomes the first
-- version, valid from the day it was imported.
INSERT INTO address_register_version (valid_from, import_batch_id, file_name, addresses, with_coordinates, streets)
SELECT COALESCE(b.started_at::date, CURRENT_DATE), s.batch, b.file_name, s.n, s.located, s.streets
  FROM (SELECT max(import_batch_id) AS batch, count(*)::int AS n, count(x)::int AS located, count(DISTINCT street_normalized)::int AS streets FROM address) s
  JOIN import_batch b ON b.id = s.batch
 WHERE s.n > 0;
UPDATE address SET version_id = (SELECT id FROM address_register_version);

ALTER TABLE address ALTER COLUMN version_id SET NOT NULL;
-- Loading a version (src/services/addresses.ts loadRegister) reads it in id order.
CREATE INDEX address_version ON address (version_id, id);
