-- Sign-in attempts at the provider API per client address, counted in the database so that
-- several servers behind a load balancer share the limit (decision 0036). The same table as in
-- every tenant's schema (tenant migration 023); no foreign keys, as for every shared table.
CREATE TABLE IF NOT EXISTS login_attempt (
  address      text NOT NULL,
  attempted_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS login_attempt_address ON login_attempt (address, attempted_at);
