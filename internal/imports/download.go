package imports

import (
	"context"
	"database/sql"

	"hrx/internal/figures"
)

// The kinds of rows a preview lists and downloads in full.
const (
	ListChanged = "changed" // rows that would change a figure, as the file writes them
	ListNew     = "new"     // rows that would add a figure
	ListRemoved = "removed" // figures a replace would remove, as they are now
)

// IsList reports whether kind is one of the lists a preview downloads.
func IsList(kind string) bool {
	return kind == ListChanged || kind == ListNew || kind == ListRemoved
}

// EachListed calls fn for every row of one of a preview's lists (ListChanged,
// ListNew or ListRemoved), in the order the page lists them: staged rows in
// line order, removed figures by key. The rows are read one at a time, so a
// file of any size downloads in flat memory; an error from fn stops it.
func (s *Store) EachListed(ctx context.Context, id int64, kind string, fn func(figures.Figure) error) error {
	q := `SELECT month, direction, category, sector, origin, destination, count, status, source, note
		FROM import_rows WHERE import_id = ? AND action = ? ORDER BY line`
	if kind == ListRemoved {
		q = `SELECT month, direction, category, sector, origin, destination, old_count, old_status, old_source, old_note
		FROM import_changes WHERE import_id = ? AND kind = ?
		ORDER BY month, direction, category, sector, origin, destination`
	}
	rows, err := s.db.R.WithContext(ctx).Raw(q, id, kind).Rows()
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var f figures.Figure
		var status, source, note sql.NullString
		var count sql.NullInt64
		if err := rows.Scan(&f.Month, &f.Direction, &f.Category, &f.Sector, &f.Origin, &f.Destination, &count, &status, &source, &note); err != nil {
			return err
		}
		f.Count, f.Status, f.Source, f.Note = count.Int64, status.String, source.String, note.String
		if err := fn(f); err != nil {
			return err
		}
	}
	return rows.Err()
}
