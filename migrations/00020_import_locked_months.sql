-- A year-to-date file repeats months already submitted or published; their
-- rows that change nothing are accepted. The preview notes those months, so
-- that applying it is refused if their figures changed since (a month reopened
-- and edited), as it is for the months it writes.
-- +goose Up
ALTER TABLE imports ADD COLUMN locked_months TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE imports DROP COLUMN locked_months;
