-- The youth forum in the atlas and photos of posters (decision 0040).
-- Import batches of kind 'forum': the topic counts per area and year are written as observations
-- of the computed indicators jugendforum_themen and jugendforum_themen_je_1000 in the transaction
-- that changes a topic. The kind is added to whatever list the earlier migrations left.
DO $$
DECLARE def text;
BEGIN
  SELECT pg_get_constraintdef(oid) INTO def FROM pg_constraint
   WHERE conrelid = 'import_batch'::regclass AND conname = 'import_batch_kind_check';
  IF def IS NOT NULL AND position('''forum''' IN def) = 0 THEN
    EXECUTE 'ALTER TABLE import_batch DROP CONSTRAINT import_batch_kind_check';
    EXECUTE 'ALTER TABLE import_batch ADD CONSTRAINT import_batch_kind_check ' || replace(def, 'ARRAY[', 'ARRAY[''forum''::text, ');
  END IF;
END $$;

-- A photo (of a poster, a flipchart) uploaded by staff for a topic. The bytes are stored after
-- their metadata (EXIF with GPS position and camera owner, XMP, IPTC, PNG text chunks) was
-- taken out; they are shown publicly only once approved by a moderator, and go with the topic.
CREATE TABLE forum_attachment (
  id            serial PRIMARY KEY,
  topic_id      integer NOT NULL REFERENCES forum_topic (id) ON DELETE CASCADE,
  title         text NOT NULL DEFAULT '' CHECK (length(title) <= 200),
  content_type  text NOT NULL CHECK (content_type IN ('image/jpeg', 'image/png')),
  bytes         bytea NOT NULL,
  size          integer NOT NULL CHECK (size > 0),
  sha256        text NOT NULL,
  approved      boolean NOT NULL DEFAULT false,
  created_by    text NOT NULL,
  created_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX forum_attachment_topic ON forum_attachment (topic_id, id);
