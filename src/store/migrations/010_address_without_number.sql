-- Street-level addresses (issue 12, item 3): a real register holds places without a house
-- number (squares, gates, bridges: "Pappelplatz", "Oranienburger Tor"). They are stored with
-- house_number and number NULL (suffix ''), matched only by input that names the place without
-- a number, and counted per version. Decision: docs/decisions/0014-street-level-addresses.md.
-- Existing rows all have a number, so the constraint holds for them and every existing
-- version has 0 such entries.
ALTER TABLE address ALTER COLUMN house_number DROP NOT NULL;
ALTER TABLE address ALTER COLUMN number DROP NOT NULL;
ALTER TABLE address ADD CONSTRAINT address_street_level
  CHECK ((house_number IS NULL) = (number IS NULL) AND (number IS NOT NULL OR suffix = ''));

-- Entries of the version without a house number (included in `addresses`).
ALTER TABLE address_register_version ADD COLUMN without_number integer NOT NULL DEFAULT 0 CHECK (without_number >= 0);
