-- Disclosure control: computed suppression patterns, kept across restarts. A pattern belongs to
-- one indicator and period and to the exact linked tables it was computed for (their SHA-256:
-- every cell's value and every equation, and the rule); other data mean another fingerprint and
-- a new computation. A cache: deleting rows only costs the time to compute them again.
CREATE TABLE disclosure_pattern (
  indicator_id    integer NOT NULL REFERENCES indicator (id),
  period_id       integer NOT NULL REFERENCES period (id),
  fingerprint     text NOT NULL,
  -- { "cellId": "primary" | "secondary", ... }
  pattern         jsonb NOT NULL,
  secondary_value double precision NOT NULL DEFAULT 0,
  computed_at     timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (indicator_id, period_id)
);
