package imports

import "context"

// Refused is the outcome of an import whose file had errors: it was never
// applied and cannot be. Other outcomes are the import's state.
const Refused = "refused"

// Tally is the imports that came to one outcome, and their rows by kind.
type Tally struct {
	Outcome string
	Imports int64
	// The rows of the files: in all, and new, changed, unchanged, removed and in error.
	RowCount, NewCount, ChangedCount, UnchangedCount, RemovedCount, ErrorCount int64
}

// Tallies counts the imports kept (PurgeStale deletes old unapplied ones) by
// outcome: applied, reverted, refused (errors in the file), preview, staging
// or expired; for /metrics.
func (s *Store) Tallies(ctx context.Context) ([]Tally, error) {
	var out []Tally
	err := s.db.R.WithContext(ctx).Raw(`SELECT outcome, COUNT(*) AS imports, SUM(row_count) AS row_count, SUM(new_count) AS new_count,
		SUM(changed_count) AS changed_count, SUM(unchanged_count) AS unchanged_count, SUM(removed_count) AS removed_count,
		SUM(error_count) AS error_count
		FROM (SELECT CASE WHEN error_count > 0 AND state IN (?, ?, ?) THEN ? ELSE state END AS outcome,
			row_count, new_count, changed_count, unchanged_count, removed_count, error_count FROM imports) t
		GROUP BY outcome ORDER BY outcome`, Staging, Preview, Expired, Refused).Scan(&out).Error
	return out, err
}
