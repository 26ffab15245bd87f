-- A month with no figures is published only by saying so: "nothing to report",
-- with the reason. The flag describes the month's last publication (who and
-- when are published_by and published_at), so it stays while the month is
-- reopened, as the public keeps seeing that publication.
-- +goose Up
ALTER TABLE month_states ADD COLUMN nothing_to_report BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE month_states ADD COLUMN nothing_reason TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE month_states DROP COLUMN nothing_reason;
ALTER TABLE month_states DROP COLUMN nothing_to_report;
