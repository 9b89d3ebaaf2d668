-- Neighbourhood measures (Maßnahmen / Projekte) against need (issue #17): a shared registry of
-- what the city and its providers do where, for whom, with what money; priority areas.
-- Numbers 016, 017 and 019 are taken or reserved by other work.

-- Import batches of kind 'measures': the kind is added to whatever list the earlier migrations
-- (including those of parallel work) left, instead of restating the list.
DO $$
DECLARE def text;
BEGIN
  SELECT pg_get_constraintdef(oid) INTO def FROM pg_constraint
   WHERE conrelid = 'import_batch'::regclass AND conname = 'import_batch_kind_check';
  IF def IS NOT NULL AND position('''measures''' IN def) = 0 THEN
    EXECUTE 'ALTER TABLE import_batch DROP CONSTRAINT import_batch_kind_check';
    EXECUTE 'ALTER TABLE import_batch ADD CONSTRAINT import_batch_kind_check ' || replace(def, 'ARRAY[', 'ARRAY[''measures''::text, ');
  END IF;
END $$;

-- Managed vocabularies: fields of action (Handlungsfelder) and target groups (Zielgruppen).
-- A target group may name the population indicator (and breakdown) that counts it, for the
-- budget per head and the coverage; e.g. kinder_6_10 → einwohner[altersgruppe=6_10].
CREATE TABLE measure_vocabulary (
  kind       text NOT NULL CHECK (kind IN ('handlungsfeld', 'zielgruppe')),
  code       text NOT NULL CHECK (code ~ '^[a-z][a-z0-9_]*$'),
  title      text NOT NULL,
  title_en   text,
  population jsonb,
  sort       integer NOT NULL DEFAULT 0,
  PRIMARY KEY (kind, code)
);

INSERT INTO measure_vocabulary (kind, code, title, title_en, population, sort) VALUES
  ('handlungsfeld', 'fruehe_bildung', 'Frühe Bildung', 'Early education', NULL, 1),
  ('handlungsfeld', 'schule', 'Schule', 'School', NULL, 2),
  ('handlungsfeld', 'jugend', 'Jugend', 'Youth', NULL, 3),
  ('handlungsfeld', 'gesundheit', 'Gesundheit', 'Health', NULL, 4),
  ('handlungsfeld', 'uebergang_schule_beruf', 'Übergang Schule–Beruf', 'School-to-work transition', NULL, 5),
  ('handlungsfeld', 'wohnumfeld', 'Wohnumfeld', 'Living environment', NULL, 6),
  ('handlungsfeld', 'familie', 'Familie', 'Family', NULL, 7),
  ('handlungsfeld', 'teilhabe', 'Soziale Teilhabe', 'Social participation', NULL, 8),
  ('zielgruppe', 'kinder_unter6', 'Kinder unter 6', 'Children under 6', '{"indicator": "einwohner", "filter": {"altersgruppe": "unter6"}}', 1),
  ('zielgruppe', 'kinder_6_10', 'Kinder 6–10', 'Children 6–10', '{"indicator": "einwohner", "filter": {"altersgruppe": "6_10"}}', 2),
  ('zielgruppe', 'kinder_10_15', 'Kinder 10–15', 'Children 10–15', '{"indicator": "einwohner", "filter": {"altersgruppe": "10_15"}}', 3),
  ('zielgruppe', 'jugendliche_15_18', 'Jugendliche 15–18', 'Young people 15–18', '{"indicator": "einwohner", "filter": {"altersgruppe": "15_18"}}', 4),
  ('zielgruppe', 'junge_erwachsene_18_25', 'Junge Erwachsene 18–25', 'Young adults 18–25', '{"indicator": "einwohner", "filter": {"altersgruppe": "18_25"}}', 5),
  ('zielgruppe', 'senioren_65plus', 'Seniorinnen und Senioren 65+', 'Older people 65+', NULL, 6),
  ('zielgruppe', 'alleinerziehende', 'Alleinerziehende', 'Single parents', NULL, 7),
  ('zielgruppe', 'familien', 'Familien', 'Families', NULL, 8),
  ('zielgruppe', 'alle', 'Alle Einwohnerinnen und Einwohner', 'All residents', '{"indicator": "einwohner", "filter": {}}', 9);

-- A measure. Scalars here; budget, locations and classifications in their own tables (queried
-- by the analysis); goals, milestones and links as documents of the measure (read whole).
CREATE TABLE measure (
  id                 serial PRIMARY KEY,
  -- the 360Giving grant id; any text without spaces, e.g. 360G-musterstadt-jugend-0001
  key                text NOT NULL UNIQUE CHECK (key ~ '^\S{1,200}$'),
  title              text NOT NULL,
  description        text NOT NULL DEFAULT '',
  -- the responsible department (owner; 360Giving fundingOrganization)
  department         text NOT NULL REFERENCES department (key),
  -- the provider (Träger; 360Giving recipientOrganization); NULL when the department runs it itself
  provider_id        text,
  provider_name      text,
  programme_code     text,
  programme_title    text,
  funding_source     text,
  status             text NOT NULL CHECK (status IN ('geplant', 'laufend', 'abgeschlossen', 'abgebrochen')),
  award_date         date,
  planned_start      date,
  planned_end        date,
  actual_start       date,
  actual_end         date,
  confidentiality    text NOT NULL DEFAULT 'internal' CHECK (confidentiality IN ('public', 'internal', 'restricted')),
  -- a role address, not a private person
  contact_role       text,
  contact_email      text,
  goals              jsonb NOT NULL DEFAULT '[]',
  milestones         jsonb NOT NULL DEFAULT '[]',
  links              jsonb NOT NULL DEFAULT '[]',
  -- what a 360Giving record carried beyond the mapped fields, given back on export unchanged
  extra              jsonb NOT NULL DEFAULT '{}',
  version            integer NOT NULL DEFAULT 1,
  import_batch_id    integer REFERENCES import_batch (id),
  updated_by         text NOT NULL,
  created_at         timestamptz NOT NULL DEFAULT now(),
  updated_at         timestamptz NOT NULL DEFAULT now(),
  CHECK (planned_end IS NULL OR planned_start IS NULL OR planned_end >= planned_start),
  CHECK (actual_end IS NULL OR actual_start IS NULL OR actual_end >= actual_start)
);
CREATE INDEX measure_department ON measure (department);

-- Budget in EUR per year, exact: integer cents.
CREATE TABLE measure_budget (
  measure_id    integer NOT NULL REFERENCES measure (id) ON DELETE CASCADE,
  year          integer NOT NULL CHECK (year BETWEEN 1900 AND 2200),
  planned_cents bigint CHECK (planned_cents IS NULL OR planned_cents >= 0),
  spent_cents   bigint CHECK (spent_cents IS NULL OR spent_cents >= 0),
  PRIMARY KEY (measure_id, year)
);

-- Where a measure works: an area of any layer, a point, or an address (matched to a point).
-- codes: the area code per layer of a point (point-in-polygon on the current boundary versions).
CREATE TABLE measure_location (
  measure_id integer NOT NULL REFERENCES measure (id) ON DELETE CASCADE,
  ord        integer NOT NULL,
  kind       text NOT NULL CHECK (kind IN ('area', 'point', 'address')),
  layer      text,
  code       text,
  name       text,
  address    text,
  x          double precision,
  y          double precision,
  codes      jsonb NOT NULL DEFAULT '{}',
  PRIMARY KEY (measure_id, ord),
  CHECK (kind <> 'area' OR (layer IS NOT NULL AND code IS NOT NULL)),
  CHECK ((x IS NULL) = (y IS NULL))
);
CREATE INDEX measure_location_area ON measure_location (layer, code);

-- Fields of action and target groups of a measure.
CREATE TABLE measure_class (
  measure_id integer NOT NULL REFERENCES measure (id) ON DELETE CASCADE,
  kind       text NOT NULL,
  code       text NOT NULL,
  PRIMARY KEY (measure_id, kind, code),
  FOREIGN KEY (kind, code) REFERENCES measure_vocabulary (kind, code)
);
CREATE INDEX measure_class_code ON measure_class (kind, code);

-- The history of each measure: every version as it was written, append-only.
CREATE TABLE measure_history (
  id          bigserial PRIMARY KEY,
  measure_key text NOT NULL,
  version     integer NOT NULL,
  action      text NOT NULL CHECK (action IN ('create', 'update', 'delete')),
  actor       text NOT NULL,
  at          timestamptz NOT NULL DEFAULT now(),
  record      jsonb NOT NULL,
  import_batch_id integer REFERENCES import_batch (id)
);
CREATE INDEX measure_history_key ON measure_history (measure_key, version);
CREATE TRIGGER measure_history_no_update BEFORE UPDATE OR DELETE ON measure_history FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();

-- Priority areas (Interventionsgebiete / Fördergebiete), versioned by date: each version lists
-- the area codes of one layer, designated by a rule (an index or indicator class) or by hand.
CREATE TABLE priority_area_version (
  id          serial PRIMARY KEY,
  key         text NOT NULL CHECK (key ~ '^[a-z][a-z0-9_]*$'),
  name        text NOT NULL,
  layer       text NOT NULL,
  valid_from  date NOT NULL,
  rule        jsonb,
  codes       text[] NOT NULL,
  created_by  text NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  UNIQUE (key, valid_from)
);
