-- Sign-ins started at the identity provider (OpenID Connect) and not yet returned. Kept in the
-- database instead of the server's memory, so that any instance of the server can finish a
-- sign-in another one started, and a restart in between does not lose it. The state is stored
-- only as a SHA-256 hash; a row is deleted when used and is worthless after ten minutes.
CREATE TABLE oidc_pending (
  state_hash text PRIMARY KEY,
  code_verifier text NOT NULL,
  nonce text NOT NULL,
  return_to text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX oidc_pending_created ON oidc_pending (created_at);
