-- When each cell of the month grid was first filled: the earliest created_at
-- of the figures it holds, kept in month_totals with the cell's total, so that
-- completeness (on time or late) reads a few hundred rows instead of grouping
-- every figure of the months it covers.
-- +goose Up
ALTER TABLE month_totals ADD COLUMN first_at TIMESTAMP;
UPDATE month_totals SET first_at = (SELECT MIN(f.created_at) FROM figures f
    WHERE f.month = month_totals.month AND f.direction = month_totals.direction AND f.category = month_totals.category);

-- +goose Down
ALTER TABLE month_totals DROP COLUMN first_at;
