-- Spatial integration (issue #6): the municipal address register, facility point data sets,
-- and import batches for them and for reallocated estimates.

ALTER TABLE import_batch DROP CONSTRAINT IF EXISTS import_batch_kind_check;
ALTER TABLE import_batch ADD CONSTRAINT import_batch_kind_check
  CHECK (kind IN ('areas', 'indicators', 'observations', 'demo', 'index', 'addresses', 'facilities', 'reallocation'));

-- The address register is a snapshot: an import replaces it as a whole.
CREATE TABLE address (
  id                serial PRIMARY KEY,
  street            text NOT NULL,
  -- comparison key of the street (src/core/address/normalize.ts normalizeStreet)
  street_normalized text NOT NULL,
  -- canonical house number with suffix or range: "12", "12a", "12/1", "12-14"
  house_number      text NOT NULL,
  -- the number alone and the suffix alone ("a", "/1", "" if none), for queries
  number            integer NOT NULL,
  suffix            text NOT NULL DEFAULT '',
  postcode          text CHECK (postcode ~ '^[0-9]{5}$'),
  -- WGS84 longitude / latitude, both or neither
  x                 double precision,
  y                 double precision,
  -- area code per layer key, from the register or by point-in-polygon: {"block": "01010001", ...}
  codes             jsonb NOT NULL DEFAULT '{}',
  -- where the code of each layer came from: {"block": "register" | "point"}
  code_sources      jsonb NOT NULL DEFAULT '{}',
  import_batch_id   integer NOT NULL REFERENCES import_batch (id),
  line              integer,
  CHECK ((x IS NULL) = (y IS NULL))
);
CREATE INDEX address_street ON address (street_normalized, number);
CREATE INDEX address_postcode ON address (postcode);
CREATE INDEX address_codes ON address USING gin (codes jsonb_path_ops);

-- Facilities (schools, day-care centres, youth clubs …): point data sets with attributes.
CREATE TABLE facility_set (
  id               serial PRIMARY KEY,
  key              text NOT NULL UNIQUE CHECK (key ~ '^[a-z][a-z0-9_]*$'),
  name             text NOT NULL,
  owner            text,
  period_key       text,
  file_name        text,
  options          jsonb NOT NULL DEFAULT '{}',
  import_batch_id  integer NOT NULL REFERENCES import_batch (id),
  updated_at       timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE facility (
  id               serial PRIMARY KEY,
  facility_set_id  integer NOT NULL REFERENCES facility_set (id) ON DELETE CASCADE,
  name             text,
  category         text,
  category_key     text,
  capacity         double precision CHECK (capacity IS NULL OR capacity >= 0),
  x                double precision NOT NULL,
  y                double precision NOT NULL,
  codes            jsonb NOT NULL DEFAULT '{}',
  attributes       jsonb NOT NULL DEFAULT '{}',
  line             integer
);
CREATE INDEX facility_set_member ON facility (facility_set_id);
