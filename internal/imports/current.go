package imports

import (
	"context"

	"gorm.io/gorm"

	"hrx/internal/db"
	"hrx/internal/figures"
)

// current holds, for the months a file touches, a fingerprint of every figure
// there now (loaded a month at a time as the file reaches it), and the line of
// every key the file has. Classifying a row and finding a repeated key cost a
// few table lookups instead of a query, and a key 12 to 16 bytes (keyTable),
// not the key itself.
type current struct {
	db     *db.DB
	loaded map[string]bool
	// figures maps the key hash of every figure there now to the hash of its
	// count, status, source and note or, once the file has had the key, to
	// inFile and the line where it did.
	figures keyTable[uint64]
	lines   keyTable[uint32] // key hash → the file's line, for keys without a figure
	// have and matched count, by month, the figures there now and those of
	// them the file has: a replace removes the difference.
	have, matched map[string]int
}

// inFile marks a figure the file has; valuesHash leaves this bit clear.
const inFile = 1 << 63

func newCurrent(d *db.DB) *current {
	return &current{db: d, loaded: map[string]bool{}, have: map[string]int{}, matched: map[string]int{}}
}

// keySep separates the parts of a key, as in rules.Key; no code contains it.
const keySep = "\x1f"

// FNV-1a, written out because hash/fnv copies every string it is given.
const (
	fnvOffset = 14695981039346656037
	fnvPrime  = 1099511628211
)

func fnvString(h uint64, s string) uint64 {
	for i := 0; i < len(s); i++ {
		h = (h ^ uint64(s[i])) * fnvPrime
	}
	return h
}

// keyHash hashes rules.Key(f) without building it.
func keyHash(f figures.Figure) uint64 {
	h := fnvString(fnvOffset, f.Month)
	for _, s := range [...]string{f.Direction, f.Category, f.Sector, f.Origin, f.Destination} {
		h = fnvString(fnvString(h, keySep), s)
	}
	return h
}

// valuesHash hashes what a row sets besides its key.
func valuesHash(count int64, status, source, note string) uint64 {
	h := uint64(fnvOffset)
	for i := 0; i < 64; i += 8 {
		h = (h ^ uint64(count>>i&0xff)) * fnvPrime
	}
	for _, s := range [...]string{status, source, note} {
		h = fnvString(h, s) * fnvPrime // a zero byte between the parts
	}
	return h &^ inFile
}

// keyColumn is the key of a figure as one text, in rules.Key's layout: reading one
// column instead of six makes loading a month about a fifth quicker.
const keyColumn = "month || ? || direction || ? || category || ? || sector || ? || origin || ? || destination"

func keyColumnArgs() []any {
	return []any{keySep, keySep, keySep, keySep, keySep}
}

func (c *current) load(ctx context.Context, m string) error {
	c.loaded[m] = true
	rows, err := c.db.R.WithContext(ctx).Raw(`SELECT `+keyColumn+`, count, status, source, note FROM figures WHERE month = ?`,
		append(keyColumnArgs(), m)...).Rows()
	if err != nil {
		return err
	}
	defer rows.Close()
	var key, status, source, note string
	var count int64
	for rows.Next() {
		if err := rows.Scan(&key, &count, &status, &source, &note); err != nil {
			return err
		}
		c.figures.Set(fnvString(fnvOffset, key), valuesHash(count, status, source, note))
		c.have[m]++
	}
	return rows.Err()
}

// classify says what writing f, on line, would do: add a figure, change one,
// or nothing; or, when the file had the key before, the line where it did.
func (c *current) classify(ctx context.Context, f figures.Figure, line int) (action string, first int, err error) {
	if !c.loaded[f.Month] {
		if err := c.load(ctx, f.Month); err != nil {
			return "", 0, err
		}
	}
	key := keyHash(f)
	if values, exists := c.figures.Get(key); exists {
		if values&inFile != 0 {
			return "", int(values &^ inFile), nil
		}
		c.figures.Set(key, inFile|uint64(line))
		c.matched[f.Month]++
		if values == valuesHash(f.Count, f.Status, f.Source, f.Note) {
			return actionUnchanged, 0, nil
		}
		return actionChanged, 0, nil
	}
	if first, dup := c.lines.Get(key); dup {
		return "", int(first), nil
	}
	c.lines.Set(key, uint32(line))
	return actionNew, 0, nil
}

// missing is how many figures of month m, which the file reached, the file
// does not have: what a replace would remove there.
func (c *current) missing(m string) int { return c.have[m] - c.matched[m] }

// recordRemovals writes, for a replace, the figures of the file's months that
// the file does not have (with their values, so that revert can restore them).
// The months in skip (locked ones, which a replace leaves alone or refuses) are left out.
func (c *current) recordRemovals(ctx context.Context, tx *gorm.DB, importID int64, skip map[string]bool) (int64, error) {
	var n int64
	for m := range c.loaded {
		if skip[m] || c.missing(m) == 0 {
			continue
		}
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
			key := keyHash(f)
			if values, _ := c.figures.Get(key); values&inFile == 0 {
				if _, added := c.lines.Get(key); !added {
					gone = append(gone, f)
				}
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
