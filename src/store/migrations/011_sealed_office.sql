-- The sealed statistics office (Statistikstelle): named users who alone may turn personal records
-- into area counts (address matching, the sealed pipeline). A permission beside the role: a
-- steward or an analyst of the statistics office can hold it; an administrator does not have it
-- by being one (administrators manage accounts, not personal data).
ALTER TABLE app_user ADD COLUMN sealed_office boolean NOT NULL DEFAULT false;
