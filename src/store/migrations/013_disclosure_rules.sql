-- Disclosure control (Geheimhaltung, issue 14): the rule of an indicator (minimum frequency,
-- dominance, who gets protected values) as written in the catalogue, and a default per
-- department (Fachbereich) for its indicators that name none. NULL: no rule of its own.
-- Example: {"minFrequency": 3, "protect": "public"}.
ALTER TABLE indicator ADD COLUMN disclosure jsonb;
ALTER TABLE department ADD COLUMN disclosure jsonb;
