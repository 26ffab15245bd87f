// Package report computes the progress of every target from the figure totals,
// once per data version, for the dashboard, the target pages and the API.
package report

import (
	"context"
	"slices"
	"sync"

	"hrx/internal/approval"
	"hrx/internal/dataversion"
	"hrx/internal/db"
	"hrx/internal/figures"
	"hrx/internal/month"
	"hrx/internal/progress"
	"hrx/internal/reference"
	"hrx/internal/targets"
)

// Series is one category's monthly counts, aligned with TargetProgress.Months.
type Series struct {
	Category reference.Category
	Values   []int64
}

// Part is one direction's share of a target's achieved total.
type Part struct {
	Direction string
	Total     int64
}

// TargetProgress is one target with its progress and the numbers behind its charts.
type TargetProgress struct {
	Target     targets.Target
	Result     progress.Result
	Months     []month.Month // the window's months up to the as-of month
	Monthly    []int64       // people counted each month, aligned with Months
	ByCategory []Series      // the categories that count toward the target
	ByDir      []Part
	// NothingReported marks the months (aligned with Months) published as
	// "nothing to report": shown as "no figures reported", never as a zero.
	NothingReported []bool
}

// Report is the progress of every target at one data version, as one view sees it.
type Report struct {
	Version    int64
	View       figures.View
	Targets    []TargetProgress
	Categories []reference.Category
	Latest     month.Month // the latest month with any figure in the view
	// Unpublished are the months (staff view only) whose figures are not
	// public as they stand: never published, or reopened for revision.
	Unpublished map[month.Month]bool
	// NothingReported are the months published as "nothing to report" that
	// have no figures in the view.
	NothingReported map[month.Month]bool
	// Gap (public view only) is the first month of the targets' windows that
	// the public has not seen although a later month was published (possible
	// only for months published out of order before publication went in
	// order); nothing from it on is shown. Zero when there is none.
	Gap month.Month
}

// Find returns a target's progress by slug.
func (r *Report) Find(slug string) (TargetProgress, bool) {
	for _, t := range r.Targets {
		if t.Target.Slug == slug {
			return t, true
		}
	}
	return TargetProgress{}, false
}

// Published returns the progress of the published targets only.
func (r *Report) Published() []TargetProgress {
	var out []TargetProgress
	for _, t := range r.Targets {
		if t.Target.Published {
			out = append(out, t)
		}
	}
	return out
}

// Service builds reports and keeps the latest in memory, keyed by the data version
// stored in the database, so several processes on one database agree.
type Service struct {
	db        *db.DB
	figures   *figures.Store
	targets   *targets.Store
	reference *reference.Store
	approval  *approval.Store

	mu     sync.Mutex
	cached map[figures.View]*Report
}

// NewService returns a Service over the stores; d is where the data version is read.
func NewService(d *db.DB, f *figures.Store, t *targets.Store, r *reference.Store, a *approval.Store) *Service {
	return &Service{db: d, figures: f, targets: t, reference: r, approval: a, cached: map[figures.View]*Report{}}
}

// Current returns the report of a view for the data as it is now.
func (s *Service) Current(ctx context.Context, view figures.View) (*Report, error) {
	v, err := dataversion.Current(ctx, s.db)
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if r := s.cached[view]; r != nil && r.Version == v {
		return r, nil
	}
	r, err := s.build(ctx, v, view)
	if err != nil {
		return nil, err
	}
	s.cached[view] = r
	return r, nil
}

func (s *Service) build(ctx context.Context, version int64, view figures.View) (*Report, error) {
	totals, err := s.figures.Totals(ctx, view)
	if err != nil {
		return nil, err
	}
	cats, err := s.reference.Categories(ctx)
	if err != nil {
		return nil, err
	}
	ts, err := s.targets.List(ctx, true)
	if err != nil {
		return nil, err
	}
	r := &Report{Version: version, View: view, Categories: cats}
	rs := rowsOf(cats, totals)
	states, err := s.approval.States(ctx)
	if err != nil {
		return nil, err
	}
	has := map[month.Month]bool{}
	for _, x := range rs {
		has[x.month] = true
	}
	r.NothingReported = map[month.Month]bool{}
	for m, st := range states {
		if st.NothingToReport && st.Public() && !has[m] {
			r.NothingReported[m] = true
		}
	}
	if view == figures.Public {
		if r.Gap = firstGap(ts, has, r.NothingReported); r.Gap != month.Zero {
			rs = slices.DeleteFunc(rs, func(x row) bool { return x.month >= r.Gap })
		}
	}
	for _, x := range rs {
		r.Latest = max(r.Latest, x.month)
	}
	if view == figures.Staff {
		r.Unpublished = map[month.Month]bool{}
		for _, x := range rs {
			if states[x.month].State != approval.Published {
				r.Unpublished[x.month] = true
			}
		}
	}
	for _, t := range ts {
		tp := compute(t, cats, rs)
		for _, m := range tp.Months {
			tp.NothingReported = append(tp.NothingReported, r.NothingReported[m])
		}
		r.Targets = append(r.Targets, tp)
	}
	return r, nil
}

// firstGap is the first month of the targets' windows, up to the latest month
// with figures, that has neither figures nor "nothing to report": the order
// rule (approval) keeps the public from ever having one, but months published
// out of order before the rule existed may leave one. Zero when there is none.
func firstGap(ts []targets.Target, has, nothing map[month.Month]bool) month.Month {
	var latest month.Month
	for m := range has {
		latest = max(latest, m)
	}
	first := month.Zero
	for _, t := range ts {
		if first == month.Zero || t.Start < first {
			first = t.Start
		}
	}
	if first == month.Zero {
		return month.Zero
	}
	for m := first; m < latest; m++ {
		if has[m] || nothing[m] {
			continue
		}
		for _, t := range ts {
			if m >= t.Start && m <= t.End {
				return m
			}
		}
	}
	return month.Zero
}

// row is one month total with its month read and whether its category is
// skilled: worked out once per report, for every target to share.
type row struct {
	month               month.Month
	direction, category string
	skilled             bool
	total               int64
}

// rowsOf reads the totals' months; a total whose month does not read is left out.
func rowsOf(cats []reference.Category, totals []figures.Total) []row {
	skilled := make(map[string]bool, len(cats))
	for _, c := range cats {
		skilled[c.Code] = c.Skilled
	}
	out := make([]row, 0, len(totals))
	for _, x := range totals {
		m, err := month.Parse(x.Month)
		if err != nil {
			continue
		}
		out = append(out, row{month: m, direction: x.Direction, category: x.Category, skilled: skilled[x.Category], total: x.Total})
	}
	return out
}

// Compute works out one target's progress from figure totals.
func Compute(t targets.Target, cats []reference.Category, totals []figures.Total) TargetProgress {
	return compute(t, cats, rowsOf(cats, totals))
}

func compute(t targets.Target, cats []reference.Category, rs []row) TargetProgress {
	f, start, end := t.Filter, t.Start, t.End
	perMonth := map[month.Month]int64{}
	perCat := map[string]map[month.Month]int64{}
	perDir := map[string]int64{}
	for _, x := range rs {
		if x.month < start || x.month > end || !f.Counts(x.direction, x.category, x.skilled) {
			continue
		}
		perMonth[x.month] += x.total
		if perCat[x.category] == nil {
			perCat[x.category] = map[month.Month]int64{}
		}
		perCat[x.category][x.month] += x.total
		perDir[x.direction] += x.total
	}
	points := make([]progress.Point, 0, len(perMonth))
	for m, n := range perMonth {
		points = append(points, progress.Point{Month: m, Count: n})
	}
	tp := TargetProgress{Target: t, Result: progress.Compute(t.Plan(), points)}
	if tp.Result.AsOf != month.Zero {
		tp.Months = month.Range(start, tp.Result.AsOf)
	}
	for _, m := range tp.Months {
		tp.Monthly = append(tp.Monthly, perMonth[m])
	}
	for _, c := range cats {
		if !f.Counts(reference.IndiaToJapan, c.Code, c.Skilled) && !f.Counts(reference.JapanToIndia, c.Code, c.Skilled) {
			continue
		}
		sr := Series{Category: c, Values: make([]int64, len(tp.Months))}
		for i, m := range tp.Months {
			sr.Values[i] = perCat[c.Code][m]
		}
		tp.ByCategory = append(tp.ByCategory, sr)
	}
	for _, d := range reference.Directions {
		if f.IncludesDirection(d.Code) {
			tp.ByDir = append(tp.ByDir, Part{Direction: d.Code, Total: perDir[d.Code]})
		}
	}
	return tp
}
