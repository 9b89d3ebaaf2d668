-- Access control, data ownership and audit (issue #4).

CREATE TABLE department (
  id         serial PRIMARY KEY,
  key        text NOT NULL UNIQUE CHECK (key ~ '^[a-z][a-z0-9_]*$'),
  name       text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE app_user (
  id                  serial PRIMARY KEY,
  name                text NOT NULL UNIQUE CHECK (name ~ '^[a-z0-9][a-z0-9._-]{1,62}$'),
  display_name        text,
  role                text NOT NULL CHECK (role IN ('admin', 'steward', 'analyst', 'viewer')),
  department_id       integer REFERENCES department (id),
  -- scrypt$N$r$p$salt$hash (base64); NULL for users who sign in only through OpenID Connect
  password_hash       text,
  disabled_at         timestamptz,
  failed_logins       integer NOT NULL DEFAULT 0,
  locked_until        timestamptz,
  password_changed_at timestamptz,
  created_at          timestamptz NOT NULL DEFAULT now(),
  CHECK (role <> 'steward' OR department_id IS NOT NULL)
);

-- Sessions and API tokens are stored as SHA-256 hashes; the secret exists only at the client.
CREATE TABLE user_session (
  token_hash   text PRIMARY KEY,
  user_id      integer NOT NULL REFERENCES app_user (id),
  csrf_token   text NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now(),
  last_seen_at timestamptz NOT NULL DEFAULT now(),
  expires_at   timestamptz NOT NULL
);
CREATE INDEX user_session_user ON user_session (user_id);

CREATE TABLE api_token (
  id           serial PRIMARY KEY,
  user_id      integer NOT NULL REFERENCES app_user (id),
  name         text NOT NULL,
  token_hash   text NOT NULL UNIQUE,
  prefix       text NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now(),
  last_used_at timestamptz,
  expires_at   timestamptz,
  revoked_at   timestamptz
);

-- Append-only audit trail: who imported, changed, published or deleted what and when, who
-- changed users and rights, and who read restricted data.
CREATE TABLE audit_log (
  id              bigserial PRIMARY KEY,
  at              timestamptz NOT NULL DEFAULT now(),
  actor           text NOT NULL,
  actor_user_id   integer,
  action          text NOT NULL,
  object_type     text,
  object_key      text,
  import_batch_id integer,
  details         jsonb NOT NULL DEFAULT '{}',
  ip              text
);
CREATE INDEX audit_log_at ON audit_log (at);

CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'the audit log is append-only';
END;
$$;
CREATE TRIGGER audit_log_no_update BEFORE UPDATE OR DELETE ON audit_log FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();

ALTER TABLE indicator ADD COLUMN draft boolean NOT NULL DEFAULT false;
ALTER TABLE indicator ADD COLUMN departments text[] NOT NULL DEFAULT '{}';
