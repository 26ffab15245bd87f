package imports

import (
	"context"

	"hrx/internal/figures"
	"hrx/internal/upload"
)

// Change is a staged row that would change a figure: its old and new values.
type Change struct {
	Line                                             int
	Month, Direction, Category, Sector, Origin, Dest string
	OldCount, NewCount                               int64
	OldStatus, NewStatus, OldSource, NewSource       string
	OldNote, NewNote                                 string
}

// Changed lists the first staged rows that would change an existing figure, in line order.
func (s *Store) Changed(ctx context.Context, id int64, limit int) ([]Change, error) {
	var out []Change
	err := s.db.R.WithContext(ctx).Raw(`SELECT r.line, r.month, r.direction, r.category, r.sector, r.origin, r.destination AS dest,
		f.count AS old_count, r.count AS new_count, f.status AS old_status, r.status AS new_status,
		f.source AS old_source, r.source AS new_source, f.note AS old_note, r.note AS new_note
		FROM import_rows r JOIN figures f ON `+figures.KeyJoin("f", "r")+` WHERE r.import_id = ? AND r.action = 'changed'
		ORDER BY r.line LIMIT ?`, id, limit).Scan(&out).Error
	return out, err
}

// StagedRow is a row of the file as it would be written.
type StagedRow struct {
	Line int
	figures.Figure
}

// Added lists the first staged rows that would add a figure, in line order.
func (s *Store) Added(ctx context.Context, id int64, limit int) ([]StagedRow, error) {
	var out []StagedRow
	err := s.db.R.WithContext(ctx).Raw(`SELECT r.line, r.month, r.direction, r.category, r.sector, r.origin, r.destination, r.count, r.status, r.source, r.note
		FROM import_rows r WHERE r.import_id = ? AND r.action = 'new'
		ORDER BY r.line LIMIT ?`, id, limit).Scan(&out).Error
	return out, err
}

// Removed lists the first figures that applying a replace-mode import would remove (or removed).
func (s *Store) Removed(ctx context.Context, im Import, limit int) ([]figures.Figure, error) {
	var out []figures.Figure
	err := s.db.R.WithContext(ctx).Raw(`SELECT month, direction, category, sector, origin, destination, old_count AS count,
		old_status AS status, old_source AS source, old_note AS note
		FROM import_changes WHERE import_id = ? AND kind = 'removed'
		ORDER BY month, direction, category, sector, origin, destination LIMIT ?`, im.ID, limit).Scan(&out).Error
	return out, err
}

// Summary is the result of an import as the API and `hrx import --json` give it.
type Summary struct {
	ImportID        int64          `json:"import_id"`
	File            string         `json:"file"`
	SHA256          string         `json:"sha256"`
	Format          string         `json:"format"`
	Mode            string         `json:"mode"`
	Rows            int64          `json:"rows"`
	New             int64          `json:"new"`
	Changed         int64          `json:"changed"`
	Unchanged       int64          `json:"unchanged"`
	Removed         int64          `json:"removed"`
	Applied         bool           `json:"applied"`
	ErrorCount      int64          `json:"error_count"`
	WarningCount    int64          `json:"warning_count"`
	Errors          []upload.Issue `json:"errors"`
	Warnings        []upload.Issue `json:"warnings"`
	ErrorsTruncated bool           `json:"errors_truncated"`
}

// MaxListed is how many errors a summary lists; the rest are only counted.
const MaxListed = IssuesKept

// IssuesKept is how many errors, and how many warnings, an import keeps, the
// first in line order; the counts on the import include the rest.
const IssuesKept = 1000

// SummaryOf builds the summary of an import.
func (s *Store) SummaryOf(ctx context.Context, im Import) (Summary, error) {
	sum := Summary{ImportID: im.ID, File: im.FileName, SHA256: im.SHA256, Format: im.Format, Mode: im.Mode, Rows: im.RowCount,
		New: im.NewCount, Changed: im.ChangedCount, Unchanged: im.UnchangedCount, Removed: im.RemovedCount,
		Applied: im.State == Applied, ErrorCount: im.ErrorCount, WarningCount: im.WarningCount}
	var err error
	if sum.Errors, err = s.Issues(ctx, im.ID, "error", MaxListed); err != nil {
		return sum, err
	}
	if sum.Warnings, err = s.Issues(ctx, im.ID, "warning", MaxListed); err != nil {
		return sum, err
	}
	if sum.Errors == nil {
		sum.Errors = []upload.Issue{}
	}
	if sum.Warnings == nil {
		sum.Warnings = []upload.Issue{}
	}
	sum.ErrorsTruncated = im.ErrorCount > int64(len(sum.Errors))
	return sum, nil
}
