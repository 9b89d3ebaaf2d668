-- Shared state of several application servers on one database (decision 0036).
--
-- read_fence: the primary's WAL position after a user's last write, so that their next reads go
-- to a replica only once it has replayed that far (read-your-writes), whichever server and
-- whichever of their sessions or tokens they use.
CREATE TABLE IF NOT EXISTS read_fence (
  user_id    integer PRIMARY KEY REFERENCES app_user (id) ON DELETE CASCADE,
  lsn        pg_lsn NOT NULL,
  written_at timestamptz NOT NULL DEFAULT now()
);

-- login_attempt: sign-in attempts per client address, counted by every server alike (the
-- per-account lock is in app_user already).
CREATE TABLE IF NOT EXISTS login_attempt (
  address      text NOT NULL,
  attempted_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS login_attempt_address ON login_attempt (address, attempted_at);
