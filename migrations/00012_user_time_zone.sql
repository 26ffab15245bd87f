-- The time zone a person reads times in; '' follows their language (IST for
-- Hindi and Indian English, JST for Japanese, UTC otherwise).
-- +goose Up
ALTER TABLE users ADD COLUMN time_zone TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE users DROP COLUMN time_zone;
