-- Access of a provider administrator (the municipal IT provider's staff, decision 0035) to this
-- tenant's data, granted by the tenant's own administrators and only for a time (decision 0044).
-- The provider administrator reads through an account of this tenant created for the grant
-- (user_id), with the granted role; revoking the grant disables that account.
CREATE TABLE IF NOT EXISTS provider_access (
  admin_name  text PRIMARY KEY,
  role        text NOT NULL CHECK (role IN ('viewer', 'analyst')),
  until       date NOT NULL,
  granted_by  text NOT NULL,
  granted_at  timestamptz NOT NULL DEFAULT now(),
  user_id     integer REFERENCES app_user (id)
);
