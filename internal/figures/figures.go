// Package figures holds the monthly counts of people and keeps their totals.
package figures

import (
	"context"
	"strings"
	"time"

	"hrx/internal/db"
)

// Status values of a figure.
const (
	Provisional = "provisional"
	Final       = "final"
)

// MaxCount is the largest count one figure may hold.
const MaxCount = 10_000_000

// Figure is one count of people for a (month, direction, category, sector, origin, destination).
type Figure struct {
	ID          int64
	Month       string
	Direction   string
	Category    string
	Sector      string
	Origin      string
	Destination string
	Count       int64
	Status      string
	Source      string
	Note        string
	Version     int
	UpdatedBy   *int64
	ImportID    *int64 // the import that last wrote it; nil after a form save
	CreatedAt   time.Time
	UpdatedAt   time.Time
}

// BrokenDown reports whether the figure carries a sector or region.
func (f Figure) BrokenDown() bool { return f.Sector != "" || f.Origin != "" || f.Destination != "" }

// auditView is what the audit log keeps of a figure.
func (f Figure) auditView() map[string]any {
	return map[string]any{"count": f.Count, "status": f.Status, "source": f.Source, "note": f.Note}
}

// Key is a figure's identity.
func (f Figure) Key() string {
	parts := []string{f.Month, f.Direction, f.Category}
	for _, p := range []string{f.Sector, f.Origin, f.Destination} {
		if p != "" {
			parts = append(parts, p)
		}
	}
	return strings.Join(parts, "/")
}

// Total is the people of one (month, direction, category), summed over its rows.
type Total struct {
	Month     string
	Direction string
	Category  string
	Total     int64
	RowCount  int
}

// TableName maps Total to its table.
func (Total) TableName() string { return "month_totals" }

// Store keeps figures.
type Store struct {
	db  *db.DB
	now func() time.Time
}

// NewStore returns a Store on d.
func NewStore(d *db.DB) *Store {
	return &Store{db: d, now: func() time.Time { return time.Now().UTC() }}
}

// Totals returns the totals of every month, direction and category that has figures in the view.
func (s *Store) Totals(ctx context.Context, v View) ([]Total, error) {
	var out []Total
	err := s.db.R.WithContext(ctx).Table(v.totalsTable()).Order("month, direction, category").Find(&out).Error
	return out, err
}

// MonthTotals returns the totals of one month.
func (s *Store) MonthTotals(ctx context.Context, m string) ([]Total, error) {
	var out []Total
	err := s.db.R.WithContext(ctx).Where("month = ?", m).Find(&out).Error
	return out, err
}

// Rows returns the figures of one month, direction and category, largest first.
func (s *Store) Rows(ctx context.Context, m, direction, category string) ([]Figure, error) {
	var out []Figure
	err := s.db.R.WithContext(ctx).
		Where("month = ? AND direction = ? AND category = ?", m, direction, category).
		Order("count DESC, sector, origin, destination").Find(&out).Error
	return out, err
}

// MonthSummary is a month's total people and how many figures make it.
type MonthSummary struct {
	Month string
	Total int64
	Rows  int64
}

// MonthSummaries returns every month that has figures, with its total.
func (s *Store) MonthSummaries(ctx context.Context) ([]MonthSummary, error) {
	var out []MonthSummary
	err := s.db.R.WithContext(ctx).Raw("SELECT month, SUM(total) AS total, SUM(row_count) AS rows FROM month_totals GROUP BY month ORDER BY month").Scan(&out).Error
	return out, err
}
