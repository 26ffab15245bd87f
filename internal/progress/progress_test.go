package progress

import (
	"math"
	"reflect"
	"testing"

	"hrx/internal/month"
)

var m = month.MustParse

// path lists values for consecutive months from start.
func path(start string, vals ...float64) []CumPoint {
	out := []CumPoint{}
	for i, v := range vals {
		out = append(out, CumPoint{m(start).Add(i), v})
	}
	return out
}

// line lists n consecutive months from start, rising by step from first.
func line(start string, n int, first, step float64) []CumPoint {
	out := []CumPoint{}
	for i := 0; i < n; i++ {
		out = append(out, CumPoint{m(start).Add(i), first + step*float64(i)})
	}
	return out
}

// pts builds data points from alternating month strings and counts.
func pts(pairs ...any) []Point {
	var out []Point
	for i := 0; i < len(pairs); i += 2 {
		out = append(out, Point{m(pairs[i].(string)), int64(pairs[i+1].(int))})
	}
	return out
}

func samePath(t *testing.T, name string, got, want []CumPoint) {
	t.Helper()
	if got == nil {
		t.Errorf("%s is nil, want a non-nil slice", name)
	}
	if len(got) != len(want) {
		t.Errorf("%s has %d points, want %d: %v", name, len(got), len(want), got)
		return
	}
	for i := range want {
		if got[i].Month != want[i].Month || math.Abs(got[i].Value-want[i].Value) > 1e-6 {
			t.Errorf("%s[%d] = {%s %v}, want {%s %v}", name, i,
				got[i].Month, got[i].Value, want[i].Month, want[i].Value)
		}
	}
}

// year is 600 people over 2025-09..2026-08: 50 a month on the straight line.
var year = Target{Value: 600, Start: m("2025-09"), End: m("2026-08")}

// sixHundredPath is year's expected path.
var sixHundredPath = line("2025-09", 12, 50, 50)

func TestCompute(t *testing.T) {
	milestones := Target{Value: 1000, Start: m("2025-01"), End: m("2025-12"),
		Milestones: []Milestone{{m("2025-06"), 300}, {m("2025-03"), 60}}}
	plan := Target{Value: 500000, Start: m("2025-09"), End: m("2030-08")}
	// Without data nothing is computed: no months elapsed or remaining, no
	// need, no rate; only the window and its expected path are known.
	notStarted := Result{
		Status: NotStarted, MonthsTotal: 12,
		Actual: []CumPoint{}, ExpectedPath: sixHundredPath, Projection: []CumPoint{},
	}

	tests := []struct {
		name   string
		target Target
		data   []Point
		want   Result
	}{
		{"no data at all", year, nil, notStarted},
		{"data only before the window", year, pts("2025-08", 1000, "2025-07", 500), notStarted},
		{"one month", year, pts("2025-09", 40), Result{
			// 40/600 = 6.67 %; 40 + 11*40 = 480; ceil(560/11) = 51; ceil(560/40) = 14 months.
			Achieved: 40, Percent: 6.7, Expected: 50, AheadBy: -10, RunRate: 40, RunRatePeople: 40,
			ProjectedTotal: 480, RequiredMonthly: 51, ProjectedCompletion: m("2026-11"),
			Status: OffTrack, AsOf: m("2025-09"), MonthsTotal: 12, MonthsElapsed: 1, MonthsRemaining: 11,
			Actual:       path("2025-09", 40),
			ExpectedPath: sixHundredPath,
			Projection:   line("2025-09", 12, 40, 40),
		}},
		{"already achieved", Target{Value: 100, Start: m("2025-09"), End: m("2026-08")},
			pts("2025-12", 10, "2025-09", 30, "2025-11", 50, "2025-10", 40), Result{
				// Cumulative 30, 70, 120, 130: crosses 100 in 2025-11.
				// Expected 100*4/12 = 33.3 → 33; run rate 130/4 = 32.5; 130 + 8*32.5 = 390.
				Achieved: 130, Percent: 130, Expected: 33, AheadBy: 97, RunRate: 32.5, RunRatePeople: 33,
				ProjectedTotal: 390, RequiredMonthly: 0, ProjectedCompletion: m("2025-11"),
				Status: Achieved, AsOf: m("2025-12"), MonthsTotal: 12, MonthsElapsed: 4, MonthsRemaining: 8,
				Actual:       path("2025-09", 30, 70, 120, 130),
				ExpectedPath: line("2025-09", 12, 100.0/12, 100.0/12),
				Projection:   line("2025-12", 9, 130, 32.5),
			}},
		{"zero run rate", year, pts("2025-09", 0, "2025-10", 0), Result{
			Achieved: 0, Percent: 0, Expected: 100, AheadBy: -100, RunRate: 0, RunRatePeople: 0,
			ProjectedTotal: 0, RequiredMonthly: 60, ProjectedCompletion: month.Zero,
			Status: OffTrack, AsOf: m("2025-10"), MonthsTotal: 12, MonthsElapsed: 2, MonthsRemaining: 10,
			Actual:       path("2025-09", 0, 0),
			ExpectedPath: sixHundredPath,
			Projection:   line("2025-10", 11, 0, 0),
		}},
		{"fewer than 6 months, with a gap", year, pts("2025-12", 45, "2025-09", 10, "2025-11", 20), Result{
			// Run rate (10+20+45)/3 = 25; 75 + 8*25 = 275; ceil(525/8) = 66; ceil(525/25) = 21 months.
			Achieved: 75, Percent: 12.5, Expected: 200, AheadBy: -125, RunRate: 25, RunRatePeople: 25,
			ProjectedTotal: 275, RequiredMonthly: 66, ProjectedCompletion: m("2027-09"),
			Status: OffTrack, AsOf: m("2025-12"), MonthsTotal: 12, MonthsElapsed: 4, MonthsRemaining: 8,
			Actual:       path("2025-09", 10, 10, 30, 75),
			ExpectedPath: sixHundredPath,
			Projection:   line("2025-12", 9, 75, 25),
		}},
		{"more than 6 months, with gaps", Target{Value: 1200, Start: m("2025-09"), End: m("2026-08")},
			pts("2025-09", 100, "2025-10", 100, "2025-11", 100, "2026-01", 50, "2026-02", 60,
				"2026-04", 70, "2026-05", 80, "2026-06", 90), Result{
				// Last 6 months with data: 2025-11, 2026-01, -02, -04, -05, -06 → 450/6 = 75.
				// 650/1200 = 54.17 %; 650 + 2*75 = 800; ceil(550/2) = 275; ceil(550/75) = 8 months.
				Achieved: 650, Percent: 54.2, Expected: 1000, AheadBy: -350, RunRate: 75, RunRatePeople: 75,
				ProjectedTotal: 800, RequiredMonthly: 275, ProjectedCompletion: m("2027-02"),
				Status: OffTrack, AsOf: m("2026-06"), MonthsTotal: 12, MonthsElapsed: 10, MonthsRemaining: 2,
				Actual:       path("2025-09", 100, 200, 300, 300, 350, 410, 410, 480, 560, 650),
				ExpectedPath: line("2025-09", 12, 100, 100),
				Projection:   path("2026-06", 650, 725, 800),
			}},
		{"data after the end ignored, AsOf at End", Target{Value: 120, Start: m("2025-09"), End: m("2025-11")},
			pts("2025-09", 30, "2025-10", 30, "2025-11", 40, "2025-12", 500, "2026-01", 500), Result{
				// Run rate 100/3 = 33.3; no months remain, so RequiredMonthly is the whole shortfall 20;
				// ceil(20/33.3) = 1 month past AsOf.
				Achieved: 100, Percent: 83.3, Expected: 120, AheadBy: -20, RunRate: 33.3, RunRatePeople: 33,
				ProjectedTotal: 100, RequiredMonthly: 20, ProjectedCompletion: m("2025-12"),
				Status: OffTrack, AsOf: m("2025-11"), MonthsTotal: 3, MonthsElapsed: 3, MonthsRemaining: 0,
				Actual:       path("2025-09", 30, 60, 100),
				ExpectedPath: path("2025-09", 40, 80, 120),
				Projection:   path("2025-11", 100),
			}},
		{"milestones", milestones, pts("2025-01", 30, "2025-02", 30, "2025-03", 30, "2025-04", 30), Result{
			// Expected at 2025-04 is 60 + (300-60)/3 = 140; 120 + 8*30 = 360;
			// ceil(880/8) = 110; ceil(880/30) = 30 months.
			Achieved: 120, Percent: 12, Expected: 140, AheadBy: -20, RunRate: 30, RunRatePeople: 30,
			ProjectedTotal: 360, RequiredMonthly: 110, ProjectedCompletion: m("2027-10"),
			Status: OffTrack, AsOf: m("2025-04"), MonthsTotal: 12, MonthsElapsed: 4, MonthsRemaining: 8,
			Actual: path("2025-01", 30, 60, 90, 120),
			ExpectedPath: path("2025-01", 20, 40, 60, 140, 220, 300,
				300+700.0/6, 300+1400.0/6, 650, 300+2800.0/6, 300+3500.0/6, 1000),
			Projection: line("2025-04", 9, 120, 30),
		}},
		{"the 500,000 plan, three months in", plan, pts("2025-09", 8000, "2025-10", 9000, "2025-11", 9500), Result{
			// 500000*3/60 = 25000; run rate 26500/3 = 8833.3; 26500 + 57*8833.3 = 529998.1;
			// ceil(473500/57) = 8308; ceil(473500/8833.3) = ceil(53.6) = 54 months.
			Achieved: 26500, Percent: 5.3, Expected: 25000, AheadBy: 1500, RunRate: 8833.3, RunRatePeople: 8833,
			ProjectedTotal: 529998, RequiredMonthly: 8308, ProjectedCompletion: m("2030-05"),
			Status: OnTrack, AsOf: m("2025-11"), MonthsTotal: 60, MonthsElapsed: 3, MonthsRemaining: 57,
			Actual:       path("2025-09", 8000, 17000, 26500),
			ExpectedPath: line("2025-09", 60, 500000.0/60, 500000.0/60),
			Projection:   line("2025-11", 58, 26500, 8833.3),
		}},
		{"repeated months add up", year, pts("2025-09", 10, "2025-09", 5), Result{
			// 15 + 11*15 = 180; ceil(585/11) = 54; ceil(585/15) = 39 months.
			Achieved: 15, Percent: 2.5, Expected: 50, AheadBy: -35, RunRate: 15, RunRatePeople: 15,
			ProjectedTotal: 180, RequiredMonthly: 54, ProjectedCompletion: m("2028-12"),
			Status: OffTrack, AsOf: m("2025-09"), MonthsTotal: 12, MonthsElapsed: 1, MonthsRemaining: 11,
			Actual:       path("2025-09", 15),
			ExpectedPath: sixHundredPath,
			Projection:   line("2025-09", 12, 15, 15),
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := Compute(tc.target, tc.data)
			samePath(t, "Actual", got.Actual, tc.want.Actual)
			samePath(t, "ExpectedPath", got.ExpectedPath, tc.want.ExpectedPath)
			samePath(t, "Projection", got.Projection, tc.want.Projection)
			got.Actual, got.ExpectedPath, got.Projection = nil, nil, nil
			want := tc.want
			want.Actual, want.ExpectedPath, want.Projection = nil, nil, nil
			if !reflect.DeepEqual(got, want) {
				t.Errorf("Compute =\n %+v\nwant\n %+v", got, want)
			}
		})
	}
}

// TestMonthsElapsed: months elapsed are the calendar months of the window up
// to and including the as-of month (the latest with data), counting months
// without data between; never months up to today, and nothing at all before
// there is data.
func TestMonthsElapsed(t *testing.T) {
	tests := []struct {
		name               string
		data               []Point
		asOf               string // "" when there is no data
		elapsed, remaining int
	}{
		{"no data", nil, "", 0, 0},
		{"data only before the window", pts("2025-08", 10), "", 0, 0},
		{"data only after the window", pts("2026-09", 10), "", 0, 0},
		{"the first month", pts("2025-09", 10), "2025-09", 1, 11},
		{"the second month", pts("2025-09", 10, "2025-10", 10), "2025-10", 2, 10},
		{"a first figure late in the window", pts("2026-03", 10), "2026-03", 7, 5},
		{"months without data between count", pts("2025-09", 10, "2025-12", 10), "2025-12", 4, 8},
		{"a month of zero people is data", pts("2025-09", 10, "2025-11", 0), "2025-11", 3, 9},
		{"the last month", pts("2026-08", 10), "2026-08", 12, 0},
		{"data after the end ignored", pts("2025-09", 10, "2026-02", 10, "2027-01", 10), "2026-02", 6, 6},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := Compute(year, tc.data)
			want := month.Zero
			if tc.asOf != "" {
				want = m(tc.asOf)
			}
			if got.AsOf != want || got.MonthsElapsed != tc.elapsed || got.MonthsRemaining != tc.remaining || got.MonthsTotal != 12 {
				t.Errorf("as of %s, elapsed %d, remaining %d of %d; want as of %s, %d, %d of 12",
					got.AsOf, got.MonthsElapsed, got.MonthsRemaining, got.MonthsTotal, want, tc.elapsed, tc.remaining)
			}
			if got.HasData() != (tc.asOf != "") {
				t.Errorf("HasData = %v", got.HasData())
			}
		})
	}
}

// TestNothingComputedWithoutData: before any data, no figure is made up from
// the window alone (the expected share, a need spread over the whole window).
func TestNothingComputedWithoutData(t *testing.T) {
	plan := Target{Value: 500000, Start: m("2025-09"), End: m("2030-08")}
	got := Compute(plan, nil)
	if got.Expected != 0 || got.AheadBy != 0 || got.RunRate != 0 || got.RunRatePeople != 0 || got.ProjectedTotal != 0 ||
		got.RequiredMonthly != 0 || got.ProjectedCompletion != month.Zero || got.MonthsElapsed != 0 || got.MonthsRemaining != 0 ||
		len(got.Actual) != 0 || len(got.Projection) != 0 || got.Status != NotStarted || got.HasData() {
		t.Errorf("without data: %+v", got)
	}
	if got.MonthsTotal != 60 || len(got.ExpectedPath) != 60 {
		t.Errorf("the window: %d months, expected path of %d", got.MonthsTotal, len(got.ExpectedPath))
	}
}

// TestRunRatePeople: people read the run rate as whole people, rounded from
// the exact mean (halves away from zero); machines get one decimal.
func TestRunRatePeople(t *testing.T) {
	tests := []struct {
		name   string
		data   []Point
		tenths float64
		people int64
	}{
		{"whole", pts("2025-09", 30, "2025-10", 50), 40, 40},
		{"a third down", pts("2025-09", 2942, "2025-10", 2942, "2025-11", 2943), 2942.3, 2942},
		{"two thirds up", pts("2025-09", 2942, "2025-10", 2943, "2025-11", 2943), 2942.7, 2943},
		{"a half up", pts("2025-09", 2942, "2025-10", 2943), 2942.5, 2943},
		{"a sixth", pts("2025-09", 1, "2025-10", 0, "2025-11", 0, "2025-12", 0, "2026-01", 0, "2026-02", 0), 0.2, 0},
		{"negative counts round away from zero", pts("2025-09", -3, "2025-10", 0), -1.5, -2},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := Compute(year, tc.data)
			if got.RunRate != tc.tenths || got.RunRatePeople != tc.people {
				t.Errorf("RunRate %v, RunRatePeople %d; want %v, %d", got.RunRate, got.RunRatePeople, tc.tenths, tc.people)
			}
		})
	}
}

// TestStatusBoundaries uses 1000 people over 2025-01..2025-10 with five
// months of data, so ProjectedTotal = Achieved + 5*RunRate = 2*Achieved.
func TestStatusBoundaries(t *testing.T) {
	target := Target{Value: 1000, Start: m("2025-01"), End: m("2025-10")}
	five := func(last int, others int) []Point {
		return pts("2025-01", others, "2025-02", others, "2025-03", others, "2025-04", others, "2025-05", last)
	}
	tests := []struct {
		name      string
		data      []Point
		projected int64
		want      Status
	}{
		{"well above", five(150, 150), 1500, OnTrack},
		{"exactly 100 %", five(100, 100), 1000, OnTrack},
		{"just under 100 %", five(99, 100), 998, AtRisk},
		{"exactly 90 %", five(90, 90), 900, AtRisk},
		{"just under 90 %", five(89, 90), 898, OffTrack},
		{"reached", five(600, 100), 2000, Achieved},
		{"exactly reached", five(200, 200), 2000, Achieved},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := Compute(target, tc.data)
			if got.ProjectedTotal != tc.projected || got.Status != tc.want {
				t.Errorf("ProjectedTotal, Status = %d, %s; want %d, %s",
					got.ProjectedTotal, got.Status, tc.projected, tc.want)
			}
		})
	}
}

func TestZeroValueTarget(t *testing.T) {
	got := Compute(Target{Value: 0, Start: m("2025-09"), End: m("2025-12")}, pts("2025-10", 5))
	if got.Percent != 0 || got.Status != Achieved || got.ProjectedCompletion != m("2025-09") || got.RequiredMonthly != 0 {
		t.Errorf("got Percent %v, Status %s, ProjectedCompletion %s, RequiredMonthly %d; want 0, achieved, 2025-09, 0",
			got.Percent, got.Status, got.ProjectedCompletion, got.RequiredMonthly)
	}
}

func TestExpectedAt(t *testing.T) {
	plan := Target{Value: 500000, Start: m("2025-09"), End: m("2030-08")}
	// Knots: (2024-12 → 0), (2025-03 → 60), (2025-06 → 300), (2025-12 → 1000).
	ms := Target{Value: 1000, Start: m("2025-01"), End: m("2025-12"),
		Milestones: []Milestone{{m("2025-06"), 300}, {m("2025-03"), 60}}}
	// The same, plus milestones that are ignored (outside the window or at End)
	// and a repeated month whose later entry wins.
	noisy := ms
	noisy.Milestones = []Milestone{{m("2025-06"), 999}, {m("2024-06"), 50}, {m("2025-06"), 300},
		{m("2025-12"), 5}, {m("2025-03"), 60}, {m("2026-03"), 7}}
	tests := []struct {
		name   string
		target Target
		month  string
		want   float64
	}{
		{"straight: before start", plan, "2025-08", 0},
		{"straight: first month", plan, "2025-09", 500000.0 / 60},
		{"straight: one year in", plan, "2026-08", 100000},
		{"straight: half way", plan, "2028-02", 250000},
		{"straight: last month", plan, "2030-08", 500000},
		{"straight: after end", plan, "2031-01", 500000},
		{"milestones: before start", ms, "2024-12", 0},
		{"milestones: first month", ms, "2025-01", 20},
		{"milestones: before first milestone", ms, "2025-02", 40},
		{"milestones: at first milestone", ms, "2025-03", 60},
		{"milestones: between milestones", ms, "2025-04", 140},
		{"milestones: between milestones 2", ms, "2025-05", 220},
		{"milestones: at second milestone", ms, "2025-06", 300},
		{"milestones: after last milestone", ms, "2025-07", 300 + 700.0/6},
		{"milestones: half way to end", ms, "2025-09", 650},
		{"milestones: at end", ms, "2025-12", 1000},
		{"milestones: after end", ms, "2026-03", 1000},
		{"noisy milestones: at first", noisy, "2025-03", 60},
		{"noisy milestones: between", noisy, "2025-04", 140},
		{"noisy milestones: after last", noisy, "2025-09", 650},
		{"noisy milestones: at end", noisy, "2025-12", 1000},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := ExpectedAt(tc.target, m(tc.month)); math.Abs(got-tc.want) > 1e-6 {
				t.Errorf("ExpectedAt(%s) = %v, want %v", tc.month, got, tc.want)
			}
		})
	}
}
