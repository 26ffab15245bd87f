package plausibility

import (
	"context"
	"slices"

	"gorm.io/gorm"

	"hrx/internal/db"
	"hrx/internal/figures/figkey"
	"hrx/internal/month"
	"hrx/internal/settings"
)

// Store computes flags from the database. It only reads: the figures' totals
// (month_totals), an upload's staged rows, and the settings.
type Store struct {
	db       *db.DB
	settings *settings.Store
}

// NewStore returns a Store on d.
func NewStore(d *db.DB) *Store { return &Store{db: d, settings: settings.NewStore(d)} }

// reader is tx when it is given, else the reader pool.
func (s *Store) reader(ctx context.Context, tx *gorm.DB) *gorm.DB {
	if tx != nil {
		return tx
	}
	return s.db.R.WithContext(ctx)
}

// Thresholds are the thresholds in force now (read on tx when it is given).
func (s *Store) Thresholds(ctx context.Context, tx *gorm.DB) (Thresholds, error) {
	v, err := s.settings.Load(ctx, tx)
	if err != nil {
		return Thresholds{}, err
	}
	return ThresholdsOf(v), nil
}

// cellTotal is a row of month_totals.
type cellTotal struct {
	Month     month.Month
	Direction string
	Category  string
	Total     int64
	RowCount  int64
}

// totalsUpTo reads the cell totals of every month up to and including last.
func (s *Store) totalsUpTo(q *gorm.DB, last month.Month) ([]cellTotal, error) {
	var rows []cellTotal
	err := q.Raw(`SELECT month, direction, category, total, row_count FROM month_totals WHERE month <= ?`, last).Scan(&rows).Error
	return rows, err
}

// Month returns the flags of month m as its figures are now (every figure,
// published or not), each compared with the months before it; nil when m has
// no figures or nothing far from its usual level. Given tx (a publication's
// transaction, say), it reads there, so that the flags are those of the
// figures the transaction sees.
func (s *Store) Month(ctx context.Context, tx *gorm.DB, m month.Month) ([]Flag, error) {
	th, err := s.Thresholds(ctx, tx)
	if err != nil {
		return nil, err
	}
	rows, err := s.totalsUpTo(s.reader(ctx, tx), m)
	if err != nil {
		return nil, err
	}
	t := NewTotals()
	for _, r := range rows {
		t.Set(r.Month, Cell{r.Direction, r.Category}, r.Total)
	}
	return Check(th, t, m, nil), nil
}

// cellDelta is how staging an upload would move one cell: its total, and its
// number of figures.
type cellDelta struct {
	Month     month.Month
	Direction string
	Category  string
	Delta     int64
	Rows      int64
}

// Import returns the flags applying a previewed upload would raise: each cell
// the file adds to, changes or (replacing) removes from, with its total as it
// would be after applying, compared with the months before it as they would
// be (so a file of several months is compared with itself too), and the
// totals of the file's months. Later months the file does not touch are not
// looked at again. An import that is not a preview (applied, reverted,
// expired) has no flags: its figures are, or are no longer, the figures.
func (s *Store) Import(ctx context.Context, id int64) ([]Flag, error) {
	q := s.db.R.WithContext(ctx)
	var state string
	if err := q.Raw(`SELECT state FROM imports WHERE id = ?`, id).Scan(&state).Error; err != nil {
		return nil, err
	}
	if state != "preview" {
		return nil, nil
	}
	th, err := s.Thresholds(ctx, nil)
	if err != nil {
		return nil, err
	}
	var deltas []cellDelta
	err = q.Raw(`SELECT month, direction, category, SUM(delta) AS delta, SUM(n) AS rows FROM (
			SELECT month, direction, category, SUM(count) AS delta, COUNT(*) AS n
			FROM import_rows WHERE import_id = ? AND action = 'new' GROUP BY month, direction, category
		UNION ALL
			SELECT r.month, r.direction, r.category, SUM(r.count - f.count) AS delta, 0 AS n
			FROM import_rows r JOIN figures f ON `+figkey.Join("f", "r")+`
			WHERE r.import_id = ? AND r.action = 'changed' GROUP BY r.month, r.direction, r.category
		UNION ALL
			SELECT month, direction, category, -SUM(old_count) AS delta, -COUNT(*) AS n
			FROM import_changes WHERE import_id = ? AND kind = 'removed' GROUP BY month, direction, category
		) d GROUP BY month, direction, category`, id, id, id).Scan(&deltas).Error
	if err != nil || len(deltas) == 0 {
		return nil, err
	}
	last := month.Zero
	touched := map[month.Month][]Cell{}
	for _, d := range deltas {
		last = max(last, d.Month)
		touched[d.Month] = append(touched[d.Month], Cell{d.Direction, d.Category})
	}
	rows, err := s.totalsUpTo(q, last)
	if err != nil {
		return nil, err
	}
	type now struct{ total, rows int64 }
	current := make(map[month.Month]map[Cell]now, len(rows)/20+1)
	t := NewTotals()
	for _, r := range rows {
		c := Cell{r.Direction, r.Category}
		t.Set(r.Month, c, r.Total)
		if current[r.Month] == nil {
			current[r.Month] = map[Cell]now{}
		}
		current[r.Month][c] = now{r.Total, r.RowCount}
	}
	for _, d := range deltas {
		c := Cell{d.Direction, d.Category}
		was := current[d.Month][c]
		if was.rows+d.Rows > 0 {
			t.Set(d.Month, c, was.total+d.Delta)
		} else {
			t.Remove(d.Month, c) // a replace that removes every figure of the cell
		}
	}
	months := make([]month.Month, 0, len(touched))
	for m := range touched {
		months = append(months, m)
	}
	slices.Sort(months)
	var out []Flag
	for _, m := range months {
		out = append(out, Check(th, t, m, touched[m])...)
	}
	return out, nil
}
