-- The integrated statistics database: spatial structure, indicator catalogue, observations.
-- PostgreSQL 14+ and PGlite. Geometry is GeoJSON (WGS84) with a bounding box; spatial work is
-- done in src/core/geo so that the embedded engine needs no PostGIS.

CREATE TABLE import_batch (
  id            serial PRIMARY KEY,
  kind          text NOT NULL CHECK (kind IN ('areas', 'indicators', 'observations', 'demo')),
  file_name     text,
  file_sha256   text,
  options       jsonb NOT NULL DEFAULT '{}',
  rows_read     integer NOT NULL DEFAULT 0,
  inserted      integer NOT NULL DEFAULT 0,
  updated       integer NOT NULL DEFAULT 0,
  unchanged     integer NOT NULL DEFAULT 0,
  user_name     text,
  started_at    timestamptz NOT NULL DEFAULT now(),
  finished_at   timestamptz
);

-- Gliederungsebenen: hierarchical layers nest in their parent layer; overlays cut across.
CREATE TABLE layer (
  id              serial PRIMARY KEY,
  key             text NOT NULL UNIQUE CHECK (key ~ '^[a-z][a-z0-9_]*$'),
  name            text NOT NULL,
  kind            text NOT NULL CHECK (kind IN ('hierarchical', 'overlay')),
  parent_layer_id integer REFERENCES layer (id),
  description     text,
  created_at      timestamptz NOT NULL DEFAULT now(),
  CHECK (kind = 'hierarchical' OR parent_layer_id IS NULL)
);

-- A boundary version of a layer, valid from valid_from (NULL = since ever) until the next version.
CREATE TABLE layer_version (
  id              serial PRIMARY KEY,
  layer_id        integer NOT NULL REFERENCES layer (id),
  valid_from      date,
  source_crs      text,
  import_batch_id integer REFERENCES import_batch (id),
  created_at      timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX layer_version_unique ON layer_version (layer_id, COALESCE(valid_from, '-infinity'::date));

CREATE TABLE area (
  id               serial PRIMARY KEY,
  layer_version_id integer NOT NULL REFERENCES layer_version (id),
  code             text NOT NULL,
  name             text NOT NULL,
  parent_id        integer REFERENCES area (id),
  geometry         jsonb,
  min_x            double precision,
  min_y            double precision,
  max_x            double precision,
  max_y            double precision,
  properties       jsonb NOT NULL DEFAULT '{}',
  UNIQUE (layer_version_id, code)
);
CREATE INDEX area_parent ON area (parent_id);

-- Transitive closure of the hierarchy (each area is its own ancestor at depth 0): aggregation
-- to any coarser layer is one join.
CREATE TABLE area_ancestor (
  area_id     integer NOT NULL REFERENCES area (id),
  ancestor_id integer NOT NULL REFERENCES area (id),
  depth       integer NOT NULL,
  PRIMARY KEY (area_id, ancestor_id)
);
CREATE INDEX area_ancestor_ancestor ON area_ancestor (ancestor_id);

CREATE TABLE dimension (
  id   serial PRIMARY KEY,
  key  text NOT NULL UNIQUE CHECK (key ~ '^[a-z][a-z0-9_]*$'),
  name text NOT NULL
);

CREATE TABLE dimension_member (
  dimension_id integer NOT NULL REFERENCES dimension (id),
  key          text NOT NULL,
  name         text NOT NULL,
  sort         integer NOT NULL DEFAULT 0,
  PRIMARY KEY (dimension_id, key)
);

CREATE TABLE indicator (
  id              serial PRIMARY KEY,
  key             text NOT NULL UNIQUE CHECK (key ~ '^[a-z][a-z0-9_]*$'),
  name            text NOT NULL,
  description     text,
  unit            text NOT NULL,
  type            text NOT NULL CHECK (type IN ('count', 'ratio', 'mean', 'value')),
  dimensions      text[] NOT NULL DEFAULT '{}',
  numerator       jsonb,
  denominator     jsonb,
  scale           double precision NOT NULL DEFAULT 1,
  polarity        text NOT NULL DEFAULT 'neutral' CHECK (polarity IN ('higher_is_better', 'higher_is_worse', 'neutral')),
  source          text,
  owner           text,
  confidentiality text NOT NULL DEFAULT 'internal' CHECK (confidentiality IN ('public', 'internal', 'restricted')),
  periodicity     text,
  min_base        double precision,
  methodology     text,
  themes          text[] NOT NULL DEFAULT '{}',
  decimals        integer,
  created_at      timestamptz NOT NULL DEFAULT now(),
  updated_at      timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE period (
  id         serial PRIMARY KEY,
  key        text NOT NULL UNIQUE,
  type       text NOT NULL CHECK (type IN ('date', 'year', 'school_year', 'month', 'quarter')),
  start_date date NOT NULL,
  end_date   date NOT NULL
);

-- One value per indicator × area (of one boundary version) × period × breakdown members.
CREATE TABLE observation (
  indicator_id    integer NOT NULL REFERENCES indicator (id),
  period_id       integer NOT NULL REFERENCES period (id),
  area_id         integer NOT NULL REFERENCES area (id),
  members         jsonb NOT NULL DEFAULT '{}',
  value           double precision,
  status          text NOT NULL CHECK (status IN ('final', 'provisional', 'estimated', 'suppressed', 'missing')),
  reason          text,
  base            double precision,
  import_batch_id integer NOT NULL REFERENCES import_batch (id),
  changed_at      timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (indicator_id, period_id, area_id, members),
  CHECK ((value IS NULL) = (status IN ('suppressed', 'missing')))
);
CREATE INDEX observation_area ON observation (area_id, indicator_id);

-- Earlier values, kept when a re-import changes a value.
CREATE TABLE observation_history (
  indicator_id        integer NOT NULL,
  period_id           integer NOT NULL,
  area_id             integer NOT NULL,
  members             jsonb NOT NULL,
  value               double precision,
  status              text NOT NULL,
  reason              text,
  base                double precision,
  import_batch_id     integer NOT NULL REFERENCES import_batch (id),
  valid_until         timestamptz NOT NULL,
  replaced_by_batch_id integer NOT NULL REFERENCES import_batch (id)
);
CREATE INDEX observation_history_key ON observation_history (indicator_id, area_id, period_id);

CREATE TABLE setting (
  key   text PRIMARY KEY,
  value jsonb NOT NULL
);
