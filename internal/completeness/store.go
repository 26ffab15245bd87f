package completeness

import (
	"context"
	"fmt"
	"strings"
	"time"

	"hrx/internal/bodies"
	"hrx/internal/db"
	"hrx/internal/month"
)

// Store reads what completeness is computed from: who reports each cell,
// each cell's figures by month with the time its first figure still there
// was recorded (month_totals' first_at, the figures' earliest created_at),
// and the months published as "nothing to report".
type Store struct {
	db     *db.DB
	bodies *bodies.Store
}

// NewStore returns a Store on d.
func NewStore(d *db.DB) *Store { return &Store{db: d, bodies: bodies.NewStore(d)} }

// MaxMonths is the most months one reading covers.
const MaxMonths = 120

// Load computes the completeness of the months from..to (at most MaxMonths,
// the latest kept) at now.
func (s *Store) Load(ctx context.Context, from, to month.Month, now time.Time) (Result, error) {
	if to.Sub(from) >= MaxMonths {
		from = to.Add(-(MaxMonths - 1))
	}
	a, err := s.bodies.Assign(ctx)
	if err != nil {
		return Result{}, err
	}
	fills, err := s.fills(ctx, from, to)
	if err != nil {
		return Result{}, err
	}
	nothing, err := s.nothing(ctx, from, to)
	if err != nil {
		return Result{}, err
	}
	return Compute(Input{Months: month.Range(from, to), Owners: a.Owners(), Fills: fills, Nothing: nothing, Now: now}), nil
}

// fills reads, per month and cell, the number of figure rows, their total
// and the earliest time one of them was recorded, from month_totals (kept in
// step with the figures in every write): a few hundred rows, however many
// figures the months hold.
func (s *Store) fills(ctx context.Context, from, to month.Month) (map[Key]Fill, error) {
	rows, err := s.db.R.WithContext(ctx).Raw(`SELECT month, direction, category, row_count, total, first_at
		FROM month_totals WHERE month BETWEEN ? AND ? AND row_count > 0`, from, to).Rows()
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[Key]Fill{}
	for rows.Next() {
		var k Key
		var f Fill
		var first dbTime
		if err := rows.Scan(&k.Month, &k.Cell.Direction, &k.Cell.Category, &f.Rows, &f.Total, &first); err != nil {
			return nil, err
		}
		f.First = first.t
		out[k] = f
	}
	return out, rows.Err()
}

// nothing reads when each month published as "nothing to report" was published.
func (s *Store) nothing(ctx context.Context, from, to month.Month) (map[month.Month]time.Time, error) {
	var list []struct {
		Month       month.Month
		PublishedAt *time.Time
	}
	if err := s.db.R.WithContext(ctx).Table("month_states").Select("month, published_at").
		Where("month BETWEEN ? AND ? AND nothing_to_report = ? AND published_at IS NOT NULL", from, to, true).Scan(&list).Error; err != nil {
		return nil, err
	}
	out := make(map[month.Month]time.Time, len(list))
	for _, n := range list {
		out[n.Month] = *n.PublishedAt
	}
	return out, nil
}

// dbTime reads a time computed by the database: SQLite gives an aggregate
// of a timestamp column back as the text it stored.
type dbTime struct{ t time.Time }

// sqliteLayouts are the forms SQLite's driver writes times in.
var sqliteLayouts = []string{
	"2006-01-02 15:04:05.999999999-07:00",
	"2006-01-02T15:04:05.999999999-07:00",
	"2006-01-02 15:04:05.999999999",
	"2006-01-02T15:04:05.999999999",
	"2006-01-02 15:04:05",
	time.RFC3339Nano,
}

// Scan reads a time, its text, or NULL.
func (d *dbTime) Scan(src any) error {
	var s string
	switch x := src.(type) {
	case nil:
		d.t = time.Time{}
		return nil
	case time.Time:
		d.t = x
		return nil
	case string:
		s = x
	case []byte:
		s = string(x)
	default:
		return fmt.Errorf("cannot read a time from %T", src)
	}
	s = strings.TrimSuffix(s, "Z")
	for _, l := range sqliteLayouts {
		if t, err := time.Parse(l, s); err == nil {
			d.t = t
			return nil
		}
	}
	return fmt.Errorf("cannot read a time from %q", s)
}
