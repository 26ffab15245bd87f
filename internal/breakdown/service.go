package breakdown

import (
	"context"
	"sync"

	"hrx/internal/dataversion"
	"hrx/internal/db"
	"hrx/internal/figures"
	"hrx/internal/month"
)

// Service reads the published figures' breakdowns once per data version
// and keeps the latest in memory.
type Service struct {
	db      *db.DB
	figures *figures.Store

	mu     sync.Mutex
	cached *Data
}

// NewService returns a Service over the figures; d is where the data version is read.
func NewService(d *db.DB, f *figures.Store) *Service { return &Service{db: d, figures: f} }

// Current returns the published figures' breakdowns as they are now.
func (s *Service) Current(ctx context.Context) (*Data, error) {
	v, err := dataversion.Current(ctx, s.db)
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cached != nil && s.cached.Version == v {
		return s.cached, nil
	}
	d, err := Load(ctx, s.figures, v)
	if err != nil {
		return nil, err
	}
	s.cached = d
	return d, nil
}

// Load sums the published figures by month, direction, category and each
// breakdown (figures.Public only: nothing unpublished is ever read).
func Load(ctx context.Context, f *figures.Store, version int64) (*Data, error) {
	d := &Data{Version: version}
	for _, b := range []struct {
		col   string
		cells *[]Cell
	}{{"sector", &d.Sector}, {"origin", &d.Origin}, {"destination", &d.Destination}} {
		rows, _, err := f.Aggregate(ctx, figures.Public, figures.Filter{}, []string{"month", "direction", "category", b.col})
		if err != nil {
			return nil, err
		}
		cells := make([]Cell, 0, len(rows))
		for _, r := range rows {
			m, err := month.Parse(r.Month)
			if err != nil {
				return nil, err
			}
			cells = append(cells, Cell{Month: m, Direction: r.Direction, Category: r.Category, Code: r.Value(b.col), People: r.Count})
			if r.Count > 0 {
				if d.First == month.Zero || m < d.First {
					d.First = m
				}
				d.Last = max(d.Last, m)
			}
		}
		*b.cells = cells
	}
	return d, nil
}
