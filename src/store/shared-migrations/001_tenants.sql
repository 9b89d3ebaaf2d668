-- The tenant directory: one row per municipality served by this installation. Lives in the shared
-- schema (km_shared); each tenant's own data lives in its schema t_<key>, which nothing here
-- references by foreign key (decision 0035).
CREATE TABLE tenant (
  key                     text PRIMARY KEY CHECK (key ~ '^[a-z][a-z0-9]*(-[a-z0-9]+)*$' AND length(key) <= 40),
  name                    text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  -- Amtlicher Gemeindeschlüssel (8 digits) or Amtlicher Regionalschlüssel (12 digits).
  official_key            text CHECK (official_key ~ '^([0-9]{8}|[0-9]{12})$'),
  schema_name             text NOT NULL UNIQUE CHECK (schema_name ~ '^t_[a-z0-9_]+$'),
  -- creating: schema being set up or imported; active: served when its schema is current;
  -- suspended: not served (e.g. while it is exported for removal).
  status                  text NOT NULL DEFAULT 'creating' CHECK (status IN ('creating', 'active', 'suspended')),
  schema_version          integer NOT NULL DEFAULT 0,
  migration_error         text,
  migrated_at             timestamptz,
  created_at              timestamptz NOT NULL DEFAULT now(),
  -- The latest complete export: removal requires one of the tenant's current state.
  last_export_at          timestamptz,
  last_export_file        text,
  last_export_fingerprint text
);
