-- Neighbourhood youth forum (Forum junges Stadtteilleben): forums per area, meetings, topics
-- raised by young people, support with one-time codes, binding answers of the departments.
-- Privacy by construction: no table has a column for a name, an e-mail address, an IP address
-- or a user agent of a young person.

-- A forum of one area (usually a Stadtteil), run by a department (usually the Jugendamt).
CREATE TABLE forum (
  id          serial PRIMARY KEY,
  key         text NOT NULL UNIQUE CHECK (key ~ '^[a-z][a-z0-9_-]{0,62}$'),
  name        text NOT NULL,
  layer       text NOT NULL,
  area_code   text NOT NULL,
  department  text NOT NULL REFERENCES department (key),
  created_at  timestamptz NOT NULL DEFAULT now()
);

-- A meeting: when, where, how many took part, and how many per age band (counts only).
CREATE TABLE forum_meeting (
  id            serial PRIMARY KEY,
  forum_id      integer NOT NULL REFERENCES forum (id) ON DELETE CASCADE,
  held_on       date NOT NULL,
  place         text NOT NULL DEFAULT '',
  participants  integer NOT NULL CHECK (participants >= 0),
  age_bands     jsonb NOT NULL DEFAULT '{}',
  note          text NOT NULL DEFAULT '',
  created_by    text NOT NULL,
  created_at    timestamptz NOT NULL DEFAULT now()
);

-- A topic. raised_by is a kind of group and raised_by_label names the group (a forum, a school
-- class, a youth centre), never a child. The answer columns hold the current answer; every
-- answer given is kept in forum_answer.
CREATE TABLE forum_topic (
  id               serial PRIMARY KEY,
  forum_id         integer NOT NULL REFERENCES forum (id),
  title            text NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
  description      text NOT NULL DEFAULT '' CHECK (length(description) <= 4000),
  layer            text NOT NULL,
  area_code        text NOT NULL,
  x                double precision,
  y                double precision,
  field            text,
  raised_by        text NOT NULL CHECK (raised_by IN ('online', 'forum', 'school_class', 'youth_centre', 'other')),
  raised_by_label  text NOT NULL DEFAULT '',
  raised_on        date NOT NULL,
  origin           text NOT NULL CHECK (origin IN ('online', 'staff', 'import')),
  moderation       text NOT NULL CHECK (moderation IN ('pending', 'published', 'rejected', 'merged')),
  moderation_note  text,
  published_on     date,
  merged_into      integer REFERENCES forum_topic (id) ON DELETE SET NULL,
  department       text REFERENCES department (key),
  answer_due       date,
  answer_status    text CHECK (answer_status IN ('in_pruefung', 'wird_umgesetzt', 'umgesetzt', 'abgelehnt')),
  answer_text      text,
  answer_reasons   text,
  answered_on      date,
  -- the first answer that decided (any status but in_pruefung): the accountability clock stops
  decided_on       date,
  links            jsonb NOT NULL DEFAULT '[]',
  attachments      jsonb NOT NULL DEFAULT '[]',
  source_platform  text CHECK (source_platform IN ('decidim', 'consul', 'adhocracy')),
  source_id        text,
  source_url       text,
  created_at       timestamptz NOT NULL DEFAULT now(),
  updated_at       timestamptz NOT NULL DEFAULT now(),
  UNIQUE (source_platform, source_id),
  CHECK ((x IS NULL) = (y IS NULL)),
  CHECK (answer_status <> 'abgelehnt' OR coalesce(answer_reasons, '') <> '')
);
CREATE INDEX forum_topic_forum ON forum_topic (forum_id, moderation);
CREATE INDEX forum_topic_area ON forum_topic (layer, area_code);

-- Every answer as given (staff names are professionals acting for a department, not children).
CREATE TABLE forum_answer (
  id          bigserial PRIMARY KEY,
  topic_id    integer NOT NULL REFERENCES forum_topic (id) ON DELETE CASCADE,
  status      text NOT NULL CHECK (status IN ('in_pruefung', 'wird_umgesetzt', 'umgesetzt', 'abgelehnt')),
  text        text NOT NULL,
  reasons     text,
  due         date,
  department  text NOT NULL,
  answered_by text NOT NULL,
  answered_on date NOT NULL
);
CREATE INDEX forum_answer_topic ON forum_answer (topic_id, id);

-- A batch of one-time support codes of a forum. Only the salted hashes are stored; the codes
-- are shown once, when the batch is made.
CREATE TABLE forum_code_batch (
  id          serial PRIMARY KEY,
  forum_id    integer NOT NULL REFERENCES forum (id) ON DELETE CASCADE,
  salt        text NOT NULL,
  size        integer NOT NULL CHECK (size > 0),
  label       text NOT NULL DEFAULT '',
  revoked     boolean NOT NULL DEFAULT false,
  created_by  text NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE forum_code (
  batch_id   integer NOT NULL REFERENCES forum_code_batch (id) ON DELETE CASCADE,
  code_hash  text NOT NULL,
  PRIMARY KEY (batch_id, code_hash)
);

-- One support per code and topic. The count of a topic is the number of its rows, always.
CREATE TABLE forum_support (
  topic_id    integer NOT NULL REFERENCES forum_topic (id) ON DELETE CASCADE,
  code_hash   text NOT NULL,
  age_band    text CHECK (age_band IN ('unter_12', '12_14', '15_17', '18_27')),
  created_on  date NOT NULL DEFAULT current_date,
  PRIMARY KEY (topic_id, code_hash)
);

-- Imports from participation platforms: which of their scopes (Decidim), geozones (CONSUL) or
-- districts (adhocracy+) is which of our areas, per forum.
CREATE TABLE forum_source_area (
  platform    text NOT NULL CHECK (platform IN ('decidim', 'consul', 'adhocracy')),
  source_area text NOT NULL,
  forum_id    integer NOT NULL REFERENCES forum (id) ON DELETE CASCADE,
  area_code   text NOT NULL,
  PRIMARY KEY (platform, source_area)
);

-- Report blocks of type 'topics' (an area's topics with their answers): the type is added to
-- whatever list the earlier migrations left, instead of restating it.
DO $$
DECLARE def text;
BEGIN
  SELECT pg_get_constraintdef(oid) INTO def FROM pg_constraint
   WHERE conrelid = 'report_block'::regclass AND conname = 'report_block_type_check';
  IF def IS NOT NULL AND position('''topics''' IN def) = 0 THEN
    EXECUTE 'ALTER TABLE report_block DROP CONSTRAINT report_block_type_check';
    EXECUTE 'ALTER TABLE report_block ADD CONSTRAINT report_block_type_check ' || replace(def, 'ARRAY[', 'ARRAY[''topics''::text, ');
  END IF;
END $$;
