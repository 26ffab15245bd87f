-- Settings an administrator changes on /admin/settings (the four-eyes rule,
-- the plausibility thresholds): one row each, by name, written only when a
-- setting is changed from its default.
-- +goose Up
CREATE TABLE settings (
    name       TEXT PRIMARY KEY,
    value      TEXT NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    updated_by TEXT NOT NULL DEFAULT ''
);
-- The four-eyes rule is on by default for new installations; one that already
-- has people in it keeps working as it did until an administrator turns it on.
INSERT INTO settings (name, value, updated_at, updated_by)
    SELECT 'four_eyes', '0', CURRENT_TIMESTAMP, 'migration' WHERE EXISTS (SELECT 1 FROM users);

-- +goose Down
DROP TABLE settings;
