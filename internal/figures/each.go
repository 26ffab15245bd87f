package figures

import (
	"context"

	"hrx/internal/apperr"
	"hrx/internal/i18n"
	"hrx/internal/month"
)

// Filter narrows figures for exports and the API; zero values match everything.
type Filter struct {
	From, To    string // YYYY-MM, inclusive
	Direction   string
	Category    string
	Sector      string
	Origin      string
	Destination string
}

// Check reports a From or To that is not a YYYY-MM month, or a From after To,
// as an *apperr.ValidationError (fields "from" and "to").
func (f Filter) Check() error {
	var v apperr.ValidationError
	var from, to month.Month
	if f.From != "" {
		m, err := month.Parse(f.From)
		if err != nil {
			v.AddMsg("from", i18n.M("filter.field.from"), i18n.M("filter.not_month", "value", f.From))
		}
		from = m
	}
	if f.To != "" {
		m, err := month.Parse(f.To)
		if err != nil {
			v.AddMsg("to", i18n.M("filter.field.to"), i18n.M("filter.not_month", "value", f.To))
		}
		to = m
	}
	if v.Empty() && from != month.Zero && to != month.Zero && from > to {
		v.AddMsg("to", i18n.M("filter.field.to"), i18n.M("filter.swapped"))
	}
	return v.Err()
}

// eachColumns are the figures columns Each reads, in the order it scans them.
const eachColumns = "id, month, direction, category, sector, origin, destination, count, status, source, note, version, updated_by, import_id, created_at, updated_at"

// publicColumns are the columns a published figure has.
const publicColumns = "month, direction, category, sector, origin, destination, count, status, source, note"

// Each calls fn for every figure of the view matching f, ordered by month, direction,
// category, sector, origin, destination. Rows are streamed one at a time from
// the read pool, so a million figures never sit in memory together. An error
// from fn stops the walk and is returned as it is; a malformed From or To is
// an *apperr.ValidationError and nothing is read.
// A published figure carries only its key and values (no id, version or marks).
func (s *Store) Each(ctx context.Context, v View, f Filter, fn func(Figure) error) (err error) {
	if err := f.Check(); err != nil {
		return err
	}
	cols := eachColumns
	if v == Public {
		cols = publicColumns
	}
	q := s.db.R.WithContext(ctx).Table(v.figuresTable()).Select(cols)
	if f.From != "" {
		q = q.Where("month >= ?", f.From)
	}
	if f.To != "" {
		q = q.Where("month <= ?", f.To)
	}
	for _, c := range []struct{ col, val string }{
		{"direction", f.Direction}, {"category", f.Category}, {"sector", f.Sector},
		{"origin", f.Origin}, {"destination", f.Destination},
	} {
		if c.val != "" {
			q = q.Where(c.col+" = ?", c.val)
		}
	}
	rows, err := q.Order("month, direction, category, sector, origin, destination").Rows()
	if err != nil {
		return err
	}
	defer func() {
		if cerr := rows.Close(); cerr != nil && err == nil {
			err = cerr
		}
	}()
	for rows.Next() {
		var g Figure
		if v == Public {
			err = rows.Scan(&g.Month, &g.Direction, &g.Category, &g.Sector, &g.Origin, &g.Destination, &g.Count, &g.Status, &g.Source, &g.Note)
		} else {
			err = rows.Scan(&g.ID, &g.Month, &g.Direction, &g.Category, &g.Sector, &g.Origin, &g.Destination,
				&g.Count, &g.Status, &g.Source, &g.Note, &g.Version, &g.UpdatedBy, &g.ImportID, &g.CreatedAt, &g.UpdatedAt)
		}
		if err != nil {
			return err
		}
		if err := fn(g); err != nil {
			return err
		}
	}
	return rows.Err()
}
