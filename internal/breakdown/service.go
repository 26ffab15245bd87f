package breakdown

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"

	"hrx/internal/approval"
	"hrx/internal/dataversion"
	"hrx/internal/db"
	"hrx/internal/figures"
	"hrx/internal/month"
)

// Service reads the published figures' breakdowns and keeps them in memory.
// A month's published figures change only when the month is published
// (again), so when the data version moves only the months whose publication
// changed are read again: after a publication that is one month's figures,
// not all of them.
type Service struct {
	db       *db.DB
	figures  *figures.Store
	approval *approval.Store

	mu     sync.Mutex
	cached *Data
	months map[month.Month]monthCells
}

// monthCells are one month's sums, with the publication they were read at.
type monthCells struct {
	key                         string
	sector, origin, destination []Cell
}

// reloadAll is how many months changed from which everything is read again
// in one statement per breakdown rather than a month at a time.
const reloadAll = 6

// NewService returns a Service over the figures; d is where the data
// version is read, a where the months' publications are.
func NewService(d *db.DB, f *figures.Store, a *approval.Store) *Service {
	return &Service{db: d, figures: f, approval: a}
}

// publicationKey identifies a month's last publication; "" when the month
// was never published.
func publicationKey(st approval.MonthState) string {
	if st.Publications == 0 {
		return ""
	}
	at := ""
	if st.PublishedAt != nil {
		at = st.PublishedAt.UTC().String()
	}
	return fmt.Sprintf("%d|%s", st.Publications, at)
}

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
	states, err := s.approval.States(ctx)
	if err != nil {
		return nil, err
	}
	keys := map[month.Month]string{}
	for m, st := range states {
		if k := publicationKey(st); k != "" {
			keys[m] = k
		}
	}
	var stale []month.Month
	for m, k := range keys {
		if c, ok := s.months[m]; !ok || c.key != k {
			stale = append(stale, m)
		}
	}
	months := map[month.Month]monthCells{}
	if s.months == nil || len(stale) > reloadAll {
		all, err := Load(ctx, s.figures, v)
		if err != nil {
			return nil, err
		}
		for _, c := range all.Sector {
			mc := months[c.Month]
			mc.sector = append(mc.sector, c)
			months[c.Month] = mc
		}
		for _, c := range all.Origin {
			mc := months[c.Month]
			mc.origin = append(mc.origin, c)
			months[c.Month] = mc
		}
		for _, c := range all.Destination {
			mc := months[c.Month]
			mc.destination = append(mc.destination, c)
			months[c.Month] = mc
		}
		for m, mc := range months {
			mc.key = keys[m]
			months[m] = mc
		}
	} else {
		for m, mc := range s.months {
			if _, ok := keys[m]; ok || mc.key == "" {
				months[m] = mc
			}
		}
		for _, m := range stale {
			d, err := load3(ctx, s.figures, figures.Filter{From: m.String(), To: m.String()})
			if err != nil {
				return nil, err
			}
			months[m] = monthCells{key: keys[m], sector: d.Sector, origin: d.Origin, destination: d.Destination}
		}
	}
	s.months = months
	s.cached = assemble(v, months)
	return s.cached, nil
}

// assemble puts the months' cells together in month order.
func assemble(version int64, months map[month.Month]monthCells) *Data {
	d := &Data{Version: version}
	order := make([]month.Month, 0, len(months))
	for m := range months {
		order = append(order, m)
	}
	slices.Sort(order)
	for _, m := range order {
		mc := months[m]
		d.Sector = append(d.Sector, mc.sector...)
		d.Origin = append(d.Origin, mc.origin...)
		d.Destination = append(d.Destination, mc.destination...)
	}
	d.bounds()
	return d
}

// bounds sets First and Last from the cells with people.
func (d *Data) bounds() {
	d.First, d.Last = month.Zero, month.Zero
	for _, c := range d.Sector {
		if c.People > 0 {
			if d.First == month.Zero || c.Month < d.First {
				d.First = c.Month
			}
			d.Last = max(d.Last, c.Month)
		}
	}
}

// Load sums all the published figures by month, direction, category and
// each breakdown (figures.Public only: nothing unpublished is ever read).
func Load(ctx context.Context, f *figures.Store, version int64) (*Data, error) {
	d, err := load3(ctx, f, figures.Filter{})
	if err != nil {
		return nil, err
	}
	d.Version = version
	d.bounds()
	return d, nil
}

// load3 reads the three sums of the published figures matching a filter at
// once, each on its own connection of the read pool.
func load3(ctx context.Context, f *figures.Store, filter figures.Filter) (*Data, error) {
	d := &Data{}
	cols := []string{"sector", "origin", "destination"}
	out := []*[]Cell{&d.Sector, &d.Origin, &d.Destination}
	errs := make([]error, len(cols))
	var wg sync.WaitGroup
	for i, col := range cols {
		wg.Add(1)
		go func() {
			defer wg.Done()
			*out[i], errs[i] = load(ctx, f, filter, col)
		}()
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return d, nil
}

// load sums the published figures by month, direction, category and col.
func load(ctx context.Context, f *figures.Store, filter figures.Filter, col string) ([]Cell, error) {
	rows, _, err := f.Aggregate(ctx, figures.Public, filter, []string{"month", "direction", "category", col})
	if err != nil {
		return nil, err
	}
	cells := make([]Cell, 0, len(rows))
	for _, r := range rows {
		m, err := month.Parse(r.Month)
		if err != nil {
			return nil, err
		}
		cells = append(cells, Cell{Month: m, Direction: r.Direction, Category: r.Category, Code: r.Value(col), People: r.Count})
	}
	return cells, nil
}
