-- Reports (issue 16): documents of sections and blocks, owned by a department, versioned; a
-- published release freezes the resolved values with the data versions they came from.
CREATE TABLE report (
  id          serial PRIMARY KEY,
  key         text NOT NULL UNIQUE CHECK (key ~ '^[a-z][a-z0-9_-]*$'),
  title       text NOT NULL,
  owner       text REFERENCES department (key),
  -- The shipped template the report was made from (null for one written from scratch).
  template    text,
  -- Parameters the report takes, e.g. [{"name": "area", "layer": "stadtteil"}].
  parameters  jsonb NOT NULL DEFAULT '[]',
  status      text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'review', 'published')),
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now()
);

-- Every saved state of a report's content; the newest is the draft.
CREATE TABLE report_version (
  id          serial PRIMARY KEY,
  report_id   integer NOT NULL REFERENCES report (id) ON DELETE CASCADE,
  version     integer NOT NULL,
  -- Report-level settings of this version (subtitle, introduction, period defaults).
  settings    jsonb NOT NULL DEFAULT '{}',
  created_by  text,
  created_at  timestamptz NOT NULL DEFAULT now(),
  UNIQUE (report_id, version)
);

CREATE TABLE report_section (
  id          serial PRIMARY KEY,
  version_id  integer NOT NULL REFERENCES report_version (id) ON DELETE CASCADE,
  position    integer NOT NULL,
  title       text NOT NULL,
  UNIQUE (version_id, position)
);

-- A block holds its *query* (indicators, layer, areas, periods, members), never copied values.
CREATE TABLE report_block (
  id          serial PRIMARY KEY,
  section_id  integer NOT NULL REFERENCES report_section (id) ON DELETE CASCADE,
  position    integer NOT NULL,
  -- Stable across versions: the replacement plan and the change note name blocks by it.
  block_key   text NOT NULL,
  type        text NOT NULL CHECK (type IN ('text', 'key-figure', 'data', 'spine', 'map', 'profile')),
  spec        jsonb NOT NULL,
  UNIQUE (section_id, position)
);

-- A published release: the resolved document (values, statuses, metadata) frozen as it was,
-- for one set of parameter values. It never changes; an amendment is a new number.
CREATE TABLE report_release (
  id            serial PRIMARY KEY,
  report_id     integer NOT NULL REFERENCES report (id) ON DELETE CASCADE,
  number        integer NOT NULL,
  version_id    integer NOT NULL REFERENCES report_version (id),
  params        jsonb NOT NULL DEFAULT '{}',
  document      jsonb NOT NULL,
  -- Per indicator the newest import batch its values came from.
  data_versions jsonb NOT NULL,
  content_hash  text NOT NULL,
  change_note   text,
  confidentiality text NOT NULL CHECK (confidentiality IN ('public', 'internal', 'restricted')),
  published_by  text,
  published_at  timestamptz NOT NULL DEFAULT now(),
  UNIQUE (report_id, number, params)
);
CREATE INDEX report_release_report ON report_release (report_id, number);
