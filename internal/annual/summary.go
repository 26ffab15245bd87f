package annual

import (
	"cmp"
	"math"
	"slices"

	"hrx/internal/breakdown"
	"hrx/internal/month"
	"hrx/internal/progress"
	"hrx/internal/reference"
	"hrx/internal/report"
)

// MonthRow is one month of the year: its people by direction, and the same
// month a year earlier.
type MonthRow struct {
	Month            month.Month
	ToJapan, ToIndia int64 // India to Japan, Japan to India
	Total            int64
	PrevTotal        int64 // the same month a year earlier
}

// CategoryRow is one category's people in the year and in the same months
// a year earlier.
type CategoryRow struct {
	Code         string
	People, Prev int64
}

// Summary is a year's published people: in all, by month and by category,
// each against the same months of the year before.
type Summary struct {
	Year Year
	// AsOf is the year's latest month with published figures (the year's
	// last month once it is over): Zero when the year has none yet.
	AsOf         month.Month
	People, Prev int64 // the year's people to AsOf; the same months a year earlier
	Months       []MonthRow
	Categories   []CategoryRow // with people in either year, most people first, then by code
}

// SoFar reports whether the year is still in progress: its figures do not
// reach its last month.
func (s Summary) SoFar() bool { return s.AsOf != month.Zero && s.AsOf < s.Year.To }

// Change is the year's people against the same months a year earlier, in
// per cent with one decimal; ok is false when the year before had nobody.
func (s Summary) Change() (percent float64, ok bool) { return Change(s.People, s.Prev) }

// Change is now against before in per cent, with one decimal; ok is false
// when before is not positive.
func Change(now, before int64) (percent float64, ok bool) {
	if before <= 0 {
		return 0, false
	}
	return math.Round(float64(now-before)*1000/float64(before)) / 10, true
}

// Summarize sums the published people of a year from the breakdowns'
// sector cells (every published person is in exactly one, "" for sector
// not known); last is the latest published month of all.
func Summarize(cells []breakdown.Cell, y Year, last month.Month) Summary {
	s := Summary{Year: y}
	if last < y.From {
		return s
	}
	s.AsOf = min(last, y.To)
	prev := y.Prev()
	prevTo := s.AsOf.Add(-12)
	byMonth := map[month.Month]*MonthRow{}
	for _, m := range month.Range(y.From, s.AsOf) {
		s.Months = append(s.Months, MonthRow{Month: m})
	}
	for i := range s.Months {
		byMonth[s.Months[i].Month] = &s.Months[i]
	}
	cats := map[string]*CategoryRow{}
	cat := func(code string) *CategoryRow {
		if cats[code] == nil {
			cats[code] = &CategoryRow{Code: code}
		}
		return cats[code]
	}
	for _, c := range cells {
		switch {
		case c.People <= 0:
		case c.Month >= y.From && c.Month <= s.AsOf:
			r := byMonth[c.Month]
			r.Total += c.People
			switch c.Direction {
			case reference.IndiaToJapan:
				r.ToJapan += c.People
			case reference.JapanToIndia:
				r.ToIndia += c.People
			}
			s.People += c.People
			cat(c.Category).People += c.People
		case c.Month >= prev.From && c.Month <= prevTo:
			byMonth[c.Month.Add(12)].PrevTotal += c.People
			s.Prev += c.People
			cat(c.Category).Prev += c.People
		}
	}
	for _, r := range cats {
		s.Categories = append(s.Categories, *r)
	}
	slices.SortFunc(s.Categories, func(a, b CategoryRow) int {
		if c := cmp.Compare(b.People, a.People); c != 0 {
			return c
		}
		return cmp.Compare(a.Code, b.Code)
	})
	return s
}

// TargetYear is one target's year: the people counted toward it in the
// year against what its expected path asks of the year, and where it
// stands since its window began.
type TargetYear struct {
	Progress report.TargetProgress // the target's progress, cut to the year (View)
	// AsOf is the year's latest month with the target's figures; Zero
	// when the year has none or its window does not reach the year.
	AsOf month.Month
	// From is the year's first month in the target's window.
	From                    month.Month
	Achieved, Expected      int64 // in the year, From to AsOf
	Cumulative, CumExpected int64 // since the window began, by AsOf
	Prev                    int64 // the same months a year earlier, in the window
}

// Percent is the year's people in per cent of what the path expected of
// the year, one decimal; ok is false when nothing was expected.
func (t TargetYear) Percent() (float64, bool) {
	if t.Expected <= 0 {
		return 0, false
	}
	return math.Round(float64(t.Achieved)*1000/float64(t.Expected)) / 10, true
}

// ForTarget is a target's year; ok is false when its window and its
// published figures do not reach into the year.
func ForTarget(tp report.TargetProgress, y Year) (ty TargetYear, ok bool) {
	t := tp.Target
	asOf := tp.Result.AsOf
	if asOf == month.Zero || asOf < y.From || t.Start > y.To || t.End < y.From {
		return TargetYear{}, false
	}
	ty.From, ty.AsOf = max(y.From, t.Start), min(y.To, asOf, t.End)
	for i, m := range tp.Months {
		if i >= len(tp.Monthly) {
			break
		}
		n := tp.Monthly[i]
		if m <= ty.AsOf {
			ty.Cumulative += n
		}
		switch {
		case m >= ty.From && m <= ty.AsOf:
			ty.Achieved += n
		case m >= ty.From.Add(-12) && m <= ty.AsOf.Add(-12):
			ty.Prev += n
		}
	}
	plan := t.Plan()
	ty.CumExpected = int64(math.Round(progress.ExpectedAt(plan, ty.AsOf)))
	ty.Expected = ty.CumExpected - int64(math.Round(progress.ExpectedAt(plan, ty.From.Add(-1))))
	ty.Progress = View(tp, ty.From, ty.AsOf)
	return ty, true
}

// View is a target's progress as it stood at the end of month to: its
// months, monthly people and categories from..to, its achieved line (from
// the window's start) cut at to and no projection (a report looks back, not
// forward). The charts drawn from it show the year as it ended.
func View(tp report.TargetProgress, from, to month.Month) report.TargetProgress {
	v := tp
	a, n := 0, 0
	for n < len(tp.Months) && tp.Months[n] <= to {
		if tp.Months[n] < from {
			a = n + 1
		}
		n++
	}
	cut := func(xs []int64) []int64 { return xs[min(a, len(xs)):min(n, len(xs))] }
	v.Months = tp.Months[a:n]
	v.Monthly = cut(tp.Monthly)
	v.NothingReported = tp.NothingReported[min(a, len(tp.NothingReported)):min(n, len(tp.NothingReported))]
	v.ByCategory = make([]report.Series, len(tp.ByCategory))
	for i, s := range tp.ByCategory {
		s.Values = cut(s.Values)
		v.ByCategory[i] = s
	}
	r := tp.Result
	r.Actual = tp.Result.Actual[:min(n, len(tp.Result.Actual))]
	r.Projection = nil
	v.Result = r
	return v
}
