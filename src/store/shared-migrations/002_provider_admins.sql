-- Provider administrators: people of the municipal IT provider who manage the tenants (the
-- directory) and see no tenant's data. Their sessions live here too, apart from every tenant's
-- users and sessions. No foreign keys, so that the shared tables can become Citus reference
-- tables as they are (decision 0035).
CREATE TABLE provider_admin (
  name          text PRIMARY KEY CHECK (name ~ '^[a-z][a-z0-9_.-]{0,63}$'),
  password_hash text NOT NULL,
  disabled      boolean NOT NULL DEFAULT false,
  failed_logins integer NOT NULL DEFAULT 0,
  locked_until  timestamptz,
  created_at    timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE provider_session (
  token_hash text PRIMARY KEY,
  admin      text NOT NULL,
  csrf_token text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL
);
CREATE INDEX provider_session_admin ON provider_session (admin);
