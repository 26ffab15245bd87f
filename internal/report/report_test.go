package report

import (
	"testing"
	"time"

	"hrx/internal/demo"
	"hrx/internal/figures"
	"hrx/internal/month"
	"hrx/internal/progress"
	"hrx/internal/reference"
	"hrx/internal/targets"
)

var seeded = []targets.Target{
	{Slug: "total-exchange", NameEN: "Total", Value: 500000, Start: month.MustParse("2025-09"), End: month.MustParse("2030-08"), Published: true},
	{Slug: "skilled-workers", NameEN: "Skilled", Value: 50000, Start: month.MustParse("2025-09"), End: month.MustParse("2030-08"),
		Filter: targets.Filter{Directions: targets.Codes{"IN-JP"}, SkilledOnly: true}, Published: true},
}

func categories() []reference.Category {
	skilled := map[string]bool{}
	for _, c := range demo.Skilled {
		skilled[c] = true
	}
	var out []reference.Category
	for _, c := range demo.Categories {
		out = append(out, reference.Category{Code: c, NameEN: c, Skilled: skilled[c]})
	}
	return out
}

// demoTotals sums the demonstration rows the way month_totals does.
func demoTotals(today time.Time) []figures.Total {
	idx := map[string]int{}
	var out []figures.Total
	for _, r := range demo.Generate(today) {
		k := r.Month.String() + r.Direction + r.Category
		i, ok := idx[k]
		if !ok {
			i = len(out)
			idx[k] = i
			out = append(out, figures.Total{Month: r.Month.String(), Direction: r.Direction, Category: r.Category})
		}
		out[i].Total += r.Count
		out[i].RowCount++
	}
	return out
}

// TestDemoSetProgress pins the progress the demonstration data shows on 27 November 2026,
// the numbers a person sees on `hrx serve --demo` that day.
func TestDemoSetProgress(t *testing.T) {
	totals := demoTotals(time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC))
	cats := categories()
	tests := []struct {
		target              targets.Target
		achieved, expected  int64
		runRate             float64
		projected, required int64
		completion          string
		status              progress.Status
	}{
		{seeded[0], 40361, 116667, 2942.3, 175707, 9993, "2039-11", progress.OffTrack},
		{seeded[1], 9592, 11667, 701.7, 41870, 879, "2031-08", progress.OffTrack},
	}
	for _, tt := range tests {
		tp := Compute(tt.target, cats, totals)
		r := tp.Result
		if r.Achieved != tt.achieved || r.Expected != tt.expected || r.RunRate != tt.runRate || r.ProjectedTotal != tt.projected ||
			r.RequiredMonthly != tt.required || r.ProjectedCompletion.String() != tt.completion || r.Status != tt.status ||
			r.AsOf != month.MustParse("2026-10") || r.MonthsElapsed != 14 || r.MonthsRemaining != 46 {
			t.Errorf("%s: %+v", tt.target.Slug, r)
		}
		var sum int64
		for _, x := range tp.Monthly {
			sum += x
		}
		if sum != r.Achieved || len(tp.Months) != 14 {
			t.Errorf("%s: monthly series sums to %d over %d months", tt.target.Slug, sum, len(tp.Months))
		}
		var dirs int64
		for _, p := range tp.ByDir {
			dirs += p.Total
		}
		if dirs != r.Achieved {
			t.Errorf("%s: directions sum to %d", tt.target.Slug, dirs)
		}
	}
}

func TestComputeFilters(t *testing.T) {
	cats := categories()
	totals := []figures.Total{
		{Month: "2025-08", Direction: "IN-JP", Category: "engineer", Total: 1000}, // before the window
		{Month: "2025-09", Direction: "IN-JP", Category: "engineer", Total: 10},
		{Month: "2025-09", Direction: "IN-JP", Category: "student", Total: 20},   // not skilled
		{Month: "2025-09", Direction: "JP-IN", Category: "engineer", Total: 40},  // other direction
		{Month: "2030-09", Direction: "IN-JP", Category: "engineer", Total: 500}, // after the window
	}
	if got := Compute(seeded[1], cats, totals).Result.Achieved; got != 10 {
		t.Errorf("skilled: %d, want 10", got)
	}
	if got := Compute(seeded[0], cats, totals).Result.Achieved; got != 70 {
		t.Errorf("total: %d, want 70", got)
	}
	only := targets.Target{Slug: "students", Value: 100, Start: month.MustParse("2025-09"), End: month.MustParse("2025-12"),
		Filter: targets.Filter{Categories: targets.Codes{"student", "researcher"}}}
	tp := Compute(only, cats, totals)
	if tp.Result.Achieved != 20 || len(tp.ByCategory) != 2 {
		t.Errorf("category list: %d, %d series", tp.Result.Achieved, len(tp.ByCategory))
	}
}
