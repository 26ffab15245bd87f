package imports

import (
	"context"
	"hash/fnv"
	"io"

	"gorm.io/gorm"

	"hrx/internal/db"
	"hrx/internal/figures"
)

// current holds, for the months a file touches, a fingerprint of every figure
// there now, loaded a month at a time as the file reaches it. Classifying rows
// against it costs one map lookup a row instead of a query, and about 40 bytes
// a figure.
type current struct {
	db      *db.DB
	loaded  map[string]bool
	figures map[uint64]held
}

type held struct {
	count   int64
	rest    uint64 // hash of status, source and note
	matched bool
}

func newCurrent(d *db.DB) *current {
	return &current{db: d, loaded: map[string]bool{}, figures: map[uint64]held{}}
}

func restHash(status, source, note string) uint64 {
	h := fnv.New64a()
	io.WriteString(h, status)
	h.Write([]byte{0})
	io.WriteString(h, source)
	h.Write([]byte{0})
	io.WriteString(h, note)
	return h.Sum64()
}

func (c *current) load(ctx context.Context, m string) error {
	c.loaded[m] = true
	rows, err := c.db.R.WithContext(ctx).Raw(`SELECT month, direction, category, sector, origin, destination, count, status, source, note
		FROM figures WHERE month = ?`, m).Rows()
	if err != nil {
		return err
	}
	defer rows.Close()
	var f figures.Figure
	for rows.Next() {
		if err := rows.Scan(&f.Month, &f.Direction, &f.Category, &f.Sector, &f.Origin, &f.Destination, &f.Count, &f.Status, &f.Source, &f.Note); err != nil {
			return err
		}
		c.figures[keyHash(f)] = held{count: f.Count, rest: restHash(f.Status, f.Source, f.Note)}
	}
	return rows.Err()
}

// classify says what writing f would do: add a figure, change one, or nothing.
func (c *current) classify(ctx context.Context, f figures.Figure, key uint64) (string, error) {
	if !c.loaded[f.Month] {
		if err := c.load(ctx, f.Month); err != nil {
			return "", err
		}
	}
	h, ok := c.figures[key]
	if !ok {
		return actionNew, nil
	}
	h.matched = true
	c.figures[key] = h
	if h.count == f.Count && h.rest == restHash(f.Status, f.Source, f.Note) {
		return actionUnchanged, nil
	}
	return actionChanged, nil
}

// recordRemovals writes, for a replace, the figures of the file's months that
// the file does not have (with their values, so that revert can restore them).
func (c *current) recordRemovals(ctx context.Context, tx *gorm.DB, importID int64) (int64, error) {
	var n int64
	for m := range c.loaded {
		rows, err := c.db.R.WithContext(ctx).Raw(`SELECT month, direction, category, sector, origin, destination, count, status, source, note, import_id
			FROM figures WHERE month = ?`, m).Rows()
		if err != nil {
			return n, err
		}
		var gone []figures.Figure
		for rows.Next() {
			var f figures.Figure
			if err := rows.Scan(&f.Month, &f.Direction, &f.Category, &f.Sector, &f.Origin, &f.Destination, &f.Count, &f.Status, &f.Source, &f.Note, &f.ImportID); err != nil {
				rows.Close()
				return n, err
			}
			if h, ok := c.figures[keyHash(f)]; !ok || !h.matched {
				gone = append(gone, f)
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return n, err
		}
		for i := 0; i < len(gone); i += 500 {
			batch := gone[i:min(i+500, len(gone))]
			changes := make([]change, len(batch))
			for j, g := range batch {
				changes[j] = change{ImportID: importID, Kind: "removed", Month: g.Month, Direction: g.Direction, Category: g.Category, Sector: g.Sector,
					Origin: g.Origin, Destination: g.Destination, OldCount: &batch[j].Count, OldStatus: g.Status, OldSource: g.Source, OldNote: g.Note, OldImportID: g.ImportID}
			}
			if err := tx.Create(&changes).Error; err != nil {
				return n, err
			}
		}
		n += int64(len(gone))
	}
	return n, nil
}

// change is a row of import_changes: a figure as it was before an import changed or removed it.
type change struct {
	ImportID                                                int64
	Kind                                                    string
	Month, Direction, Category, Sector, Origin, Destination string
	OldCount                                                *int64
	OldStatus, OldSource, OldNote                           string
	OldImportID                                             *int64
}

func (change) TableName() string { return "import_changes" }
