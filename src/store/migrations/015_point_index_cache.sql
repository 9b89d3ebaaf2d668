-- Prepared point indexes of boundary versions (core/geo/point-index.ts, PointIndex.toBytes), so
-- that a command assigning points reads a few megabytes instead of the polygons and skips the
-- build. Derived from the areas and nothing else: any statement that changes areas empties it
-- (trigger below), and each entry also carries the stamp of the rows it was built from, checked
-- on every read, so an entry built from an older snapshot is never used. A cache: deleting rows
-- only costs one build.
CREATE TABLE point_index_cache (
  layer_version_id integer PRIMARY KEY REFERENCES layer_version (id) ON DELETE CASCADE,
  -- The byte layout of PointIndex.toBytes(); another layout is ignored and rebuilt.
  format           integer NOT NULL,
  -- count of the version's area rows and their largest xmin when the index was built
  stamp            text NOT NULL,
  -- the area codes in index order
  codes            jsonb NOT NULL,
  -- the index, base64 (text reaches the client far faster than bytea's hex)
  data             text NOT NULL,
  built_at         timestamptz NOT NULL DEFAULT now()
);
-- Base64 of coordinates does not compress: store it out of line without trying.
ALTER TABLE point_index_cache ALTER COLUMN data SET STORAGE EXTERNAL;

CREATE FUNCTION point_index_cache_forget() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM point_index_cache;
  RETURN NULL;
END $$;

CREATE TRIGGER area_changes_forget_point_indexes
  AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON area
  FOR EACH STATEMENT EXECUTE FUNCTION point_index_cache_forget();
