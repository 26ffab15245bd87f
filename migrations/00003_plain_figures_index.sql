-- The month grid reads each month's rows that have no sector or region; this
-- index finds them without scanning the month's breakdown rows.
-- +goose Up
CREATE INDEX figures_plain ON figures (month, direction, category) WHERE sector = '' AND origin = '' AND destination = '';

-- +goose Down
DROP INDEX figures_plain;
