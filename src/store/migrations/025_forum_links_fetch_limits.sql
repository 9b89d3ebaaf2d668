-- Youth forum: imports fetched from the platforms, and rate limits shared by every server
-- process (decision 0041). Links to one block of a report need no column: a link in
-- forum_topic.links may carry "block" (the report block's stable key), old links stay valid.

-- The instance (host) of an imported topic's platform: two Decidim installations may both have a
-- proposal 7. Additive: source_id stays their id; the key is (platform, instance, id). Existing
-- rows take the host of their link back (where they have one), the same rule a re-import uses.
ALTER TABLE forum_topic ADD COLUMN IF NOT EXISTS source_instance text NOT NULL DEFAULT '';
UPDATE forum_topic
   SET source_instance = lower(coalesce(substring(source_url from '^[A-Za-z][A-Za-z0-9+.-]*://(?:[^/@]*@)?([^/:?#]+)'), ''))
 WHERE source_platform IS NOT NULL AND source_url IS NOT NULL;
ALTER TABLE forum_topic DROP CONSTRAINT IF EXISTS forum_topic_source_platform_source_id_key;
ALTER TABLE forum_topic ADD CONSTRAINT forum_topic_source_key UNIQUE (source_platform, source_instance, source_id);

-- Requests per client of the public forum routes (proposals, supports) in a fixed window, counted
-- by every server alike. The client is a keyed hash (HMAC-SHA-256 with a secret that is not in
-- the database) of its address: no address is stored, and the counters are never joined to
-- topics or supports. Rows older than a window are deleted as requests come.
CREATE TABLE IF NOT EXISTS forum_rate_counter (
  scope         text NOT NULL CHECK (scope IN ('proposal', 'support')),
  client_key    text NOT NULL,
  window_start  timestamptz NOT NULL DEFAULT now(),
  hits          integer NOT NULL CHECK (hits > 0),
  PRIMARY KEY (scope, client_key)
);
CREATE INDEX IF NOT EXISTS forum_rate_counter_window ON forum_rate_counter (window_start);
