-- Which indicators have observations on which boundary versions, since which import and until
-- which: the catalogue's layers, dct:issued and dct:modified, and the layers the monitor and the
-- OGC API offer per indicator (services/snapshot.ts layersWithData). Kept by the statement
-- triggers below in every transaction that writes observations, so that reading it costs one
-- row per indicator and version instead of a pass over all observations after every import.
CREATE TABLE observation_coverage (
  indicator_id     integer NOT NULL REFERENCES indicator (id) ON DELETE CASCADE,
  layer_version_id integer NOT NULL REFERENCES layer_version (id) ON DELETE CASCADE,
  -- observations of the indicator on areas of the version; the row goes when it reaches 0
  observations     bigint NOT NULL CHECK (observations > 0),
  -- the first import that wrote observations here since there were none (never later: a
  -- re-import that replaces every value keeps the date of first issue), and the newest
  first_batch_id   integer NOT NULL,
  last_batch_id    integer NOT NULL,
  PRIMARY KEY (indicator_id, layer_version_id)
);

-- New rows (INSERT, COPY) are counted in, removed rows (DELETE) counted out, an UPDATE does both
-- (in that order, so that a statement replacing every value keeps the date of first issue). One
-- aggregate over the statement's rows each. Observations hang on areas that cannot be deleted
-- while they have observations (services/areas.ts), so the join always finds the area.
-- One function for the three triggers: each statement names only the transition tables its
-- trigger has, and PL/pgSQL plans a statement when it first runs it.
CREATE FUNCTION observation_coverage_count() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    INSERT INTO observation_coverage AS c (indicator_id, layer_version_id, observations, first_batch_id, last_batch_id)
    SELECT n.indicator_id, a.layer_version_id, count(*), min(n.import_batch_id), max(n.import_batch_id)
      FROM new_rows n JOIN area a ON a.id = n.area_id
     GROUP BY n.indicator_id, a.layer_version_id
    ON CONFLICT (indicator_id, layer_version_id) DO UPDATE
       SET observations = c.observations + EXCLUDED.observations,
           first_batch_id = least(c.first_batch_id, EXCLUDED.first_batch_id),
           last_batch_id = greatest(c.last_batch_id, EXCLUDED.last_batch_id);
  END IF;
  IF TG_OP IN ('DELETE', 'UPDATE') THEN
    WITH gone AS (
      SELECT o.indicator_id, a.layer_version_id, count(*) AS n
        FROM old_rows o JOIN area a ON a.id = o.area_id
       GROUP BY o.indicator_id, a.layer_version_id
    ), kept AS (
      UPDATE observation_coverage c SET observations = c.observations - g.n
        FROM gone g
       WHERE c.indicator_id = g.indicator_id AND c.layer_version_id = g.layer_version_id AND c.observations > g.n
      RETURNING c.indicator_id, c.layer_version_id
    )
    DELETE FROM observation_coverage c
     USING gone g
     WHERE c.indicator_id = g.indicator_id AND c.layer_version_id = g.layer_version_id
       AND NOT EXISTS (SELECT 1 FROM kept k WHERE k.indicator_id = g.indicator_id AND k.layer_version_id = g.layer_version_id);
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER observation_coverage_insert AFTER INSERT ON observation
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION observation_coverage_count();
CREATE TRIGGER observation_coverage_delete AFTER DELETE ON observation
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION observation_coverage_count();
CREATE TRIGGER observation_coverage_update AFTER UPDATE ON observation
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION observation_coverage_count();
-- TRUNCATE has no transition table: it empties the coverage with it.
CREATE FUNCTION observation_coverage_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM observation_coverage;
  RETURN NULL;
END $$;
CREATE TRIGGER observation_coverage_truncate AFTER TRUNCATE ON observation
  FOR EACH STATEMENT EXECUTE FUNCTION observation_coverage_truncate();

INSERT INTO observation_coverage (indicator_id, layer_version_id, observations, first_batch_id, last_batch_id)
SELECT o.indicator_id, a.layer_version_id, count(*), min(o.import_batch_id), max(o.import_batch_id)
  FROM observation o JOIN area a ON a.id = o.area_id
 GROUP BY o.indicator_id, a.layer_version_id;
