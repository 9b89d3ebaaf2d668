-- Comparison between municipalities (decision 0037): a catalogue of standard indicators several
-- tenants agree to use, each tenant's mapping of its own indicators to them, its opt-in, and the
-- comparison store of published public values. Tenants are named by their key as text: no foreign
-- keys (neither into tenant schemas nor among these tables), so that every table can become a
-- Citus reference table as it is (decision 0035).
CREATE TABLE comparison_standard (
  key        text PRIMARY KEY CHECK (key ~ '^[a-z][a-z0-9_]*$' AND length(key) <= 64),
  name_de    text NOT NULL CHECK (length(name_de) BETWEEN 1 AND 200),
  name_en    text NOT NULL CHECK (length(name_en) BETWEEN 1 AND 200),
  unit       text NOT NULL CHECK (length(unit) BETWEEN 1 AND 40),
  -- count, ratio (a rate each tenant computes from its own numerator and denominator) or value.
  type       text NOT NULL CHECK (type IN ('count', 'ratio', 'value')),
  definition text NOT NULL CHECK (length(definition) BETWEEN 1 AND 4000),
  -- The basis the definition follows, e.g. "Wegweiser Kommune" or "KOSIS".
  basis      text NOT NULL CHECK (length(basis) BETWEEN 1 AND 200),
  polarity   text NOT NULL CHECK (polarity IN ('higher_is_better', 'higher_is_worse', 'neutral')),
  decimals   integer NOT NULL CHECK (decimals BETWEEN 0 AND 6),
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- A tenant's own indicator (a key of its catalogue) used for a standard indicator.
CREATE TABLE comparison_mapping (
  tenant    text NOT NULL,
  standard  text NOT NULL,
  indicator text NOT NULL CHECK (length(indicator) BETWEEN 1 AND 100),
  mapped_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant, standard)
);

-- A tenant's consent to publish: the values of its whole territory, optionally of one layer of
-- districts too. No row: the tenant does not take part.
CREATE TABLE comparison_participation (
  tenant            text PRIMARY KEY,
  districts_layer   text,
  territory_layer   text,
  opted_in_at       timestamptz NOT NULL DEFAULT now(),
  last_published_at timestamptz
);

-- The published values: public values only, as the public sees them in the tenant's own app.
-- A suppressed value is stored as suppressed (value null), never as zero.
CREATE TABLE comparison_value (
  tenant         text NOT NULL,
  standard       text NOT NULL,
  level          text NOT NULL CHECK (level IN ('territory', 'district')),
  area_code      text NOT NULL CHECK (length(area_code) BETWEEN 1 AND 100),
  area_name      text NOT NULL,
  reference_date date NOT NULL,
  period         text NOT NULL,
  value          double precision,
  status         text NOT NULL CHECK (status IN ('final', 'provisional', 'estimated', 'suppressed', 'below_min_base')),
  source         text,
  published_at   timestamptz NOT NULL,
  PRIMARY KEY (tenant, standard, level, area_code, reference_date),
  CHECK ((value IS NULL) = (status IN ('suppressed', 'below_min_base')))
);
CREATE INDEX comparison_value_standard ON comparison_value (standard, level, reference_date);
