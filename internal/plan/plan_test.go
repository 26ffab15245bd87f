package plan

import (
	"math"
	"testing"

	"hrx/internal/i18n"
	"hrx/internal/month"
	"hrx/internal/progress"
)

var m = month.MustParse

// four is 1,000 people over 2025-01..2025-04; the figures are as of 2025-01
// with 100 people, 100 a month lately: three months are left.
var four = Start{Target: progress.Target{Value: 1000, Start: m("2025-01"), End: m("2025-04")},
	From: m("2025-01"), Achieved: 100, Base: 100}

func cum(from string, vals ...float64) []progress.CumPoint {
	out := []progress.CumPoint{}
	for i, v := range vals {
		out = append(out, progress.CumPoint{Month: m(from).Add(i), Value: v})
	}
	return out
}

func TestCompute(t *testing.T) {
	over := four
	over.From, over.Achieved = m("2025-04"), 700
	reached := four
	reached.Achieved, reached.ReachedAt = 1200, m("2024-12")
	none := StartOf(four.Target, progress.Result{}) // no figures yet: from 2024-12, nothing to grow
	tests := []struct {
		name      string
		start     Start
		sc        Scenario
		path      []progress.CumPoint
		total     int64
		reached   string // "" for none
		already   bool
		shortfall int64
		need      NeedStatus
	}{
		// 110, 121, 133.1: each month 10 % above the one before, the first above the base.
		{"growth compounds", four, Scenario{Kind: Growth, Growth: 0.10},
			cum("2025-01", 100, 210, 331, 464.1), 464, "", false, 536, NeedFound},
		{"zero growth is the run rate", four, Scenario{Kind: Growth},
			cum("2025-01", 100, 200, 300, 400), 400, "", false, 600, NeedFound},
		// 50, 25, 12.5: 187.5 rounds to 188; 812.5 missing is 813 people.
		{"negative growth", four, Scenario{Kind: Growth, Growth: -0.5},
			cum("2025-01", 100, 150, 175, 187.5), 188, "", false, 813, NeedFound},
		{"a fixed number reaching the target exactly at the end", four, Scenario{Kind: Fixed, Fixed: 300},
			cum("2025-01", 100, 400, 700, 1000), 1000, "2025-04", false, 0, NeedFound},
		{"a fixed number reaching the target mid-window", four, Scenario{Kind: Fixed, Fixed: 500},
			cum("2025-01", 100, 600, 1100, 1600), 1600, "2025-03", false, 0, NeedFound},
		{"a fixed zero never reaches it", four, Scenario{Kind: Fixed, Fixed: 0},
			cum("2025-01", 100, 100, 100, 100), 100, "", false, 900, NeedFound},
		{"a number per category, added up", four, Scenario{Kind: PerCategory, PerCategory: []int64{100, 250, 0}},
			cum("2025-01", 100, 450, 800, 1150), 1150, "2025-04", false, 0, NeedFound},
		{"per category, none given", four, Scenario{Kind: PerCategory},
			cum("2025-01", 100, 100, 100, 100), 100, "", false, 900, NeedFound},
		{"the window already over", over, Scenario{Kind: Fixed, Fixed: 5000},
			cum("2025-04", 700), 700, "", false, 300, NeedOver},
		{"already reached by the figures", reached, Scenario{Kind: Growth, Growth: 0.02},
			cum("2025-01", 1200, 1302, 1406.04, 1512.1608), 1512, "2024-12", true, 0, NeedReached},
		{"no figures yet: growth of nothing", none, Scenario{Kind: Growth, Growth: 0.5},
			cum("2024-12", 0, 0, 0, 0, 0), 0, "", false, 1000, NeedNoBase},
		{"no figures yet: a fixed number", none, Scenario{Kind: Fixed, Fixed: 250},
			cum("2024-12", 0, 250, 500, 750, 1000), 1000, "2025-04", false, 0, NeedNoBase},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := Compute(tc.start, tc.sc)
			if len(got.Path) != len(tc.path) {
				t.Fatalf("path %v, want %v", got.Path, tc.path)
			}
			for i := range tc.path {
				if got.Path[i].Month != tc.path[i].Month || math.Abs(got.Path[i].Value-tc.path[i].Value) > 1e-9 {
					t.Errorf("path[%d] = %v, want %v", i, got.Path[i], tc.path[i])
				}
			}
			want := month.Zero
			if tc.reached != "" {
				want = m(tc.reached)
			}
			if got.Total != tc.total || got.Reached != want || got.Already != tc.already || got.Shortfall != tc.shortfall || got.Need.Status != tc.need {
				t.Errorf("total %d, reached %v (already %v), shortfall %d, need %s; want %d, %v (%v), %d, %s",
					got.Total, got.Reached, got.Already, got.Shortfall, got.Need.Status, tc.total, want, tc.already, tc.shortfall, tc.need)
			}
		})
	}
}

// TestNeeded: the growth that reaches the target exactly at the end, found by
// bisection, within Tolerance people at the end, against the growths worked out by hand.
func TestNeeded(t *testing.T) {
	two := Start{Target: progress.Target{Value: 375, Start: m("2025-01"), End: m("2025-03")}, From: m("2025-01"), Base: 100}
	with := func(value, achieved int64, base float64) Start {
		s := two
		s.Target.Value, s.Achieved, s.Base = value, achieved, base
		return s
	}
	tests := []struct {
		name   string
		start  Start
		status NeedStatus
		growth float64
	}{
		// 100x + 100x² = 375 with x = 1+g: x = 1.5.
		{"growth", two, NeedFound, 0.5},
		// 100x + 100x² = 75: x = 0.5, a decline of 50 % a month still reaches it.
		{"a decline", with(75, 0, 100), NeedFound, -0.5},
		// 100 + 9 × 100 = 1,000: no growth needed.
		{"exactly the run rate", Start{Target: progress.Target{Value: 1000, Start: m("2025-01"), End: m("2025-10")}, From: m("2025-01"), Achieved: 100, Base: 100}, NeedFound, 0},
		// 100x + 100x² = 600: x = 2, the most allowed.
		{"the most allowed", with(600, 0, 100), NeedFound, 1},
		{"more than the most allowed", with(601, 0, 100), NeedTooHigh, 0},
		{"already reached", with(375, 375, 100), NeedReached, 0},
		{"no base", with(375, 0, 0), NeedNoBase, 0},
		{"no month left", Start{Target: two.Target, From: m("2025-03"), Achieved: 10, Base: 100}, NeedOver, 0},
		// 500,000 over five years, three months in at 8,833.3 a month: bisection lands within a hundredth of a person.
		{"the 500,000 plan", Start{Target: progress.Target{Value: 500000, Start: m("2025-09"), End: m("2030-08")}, From: m("2025-11"), Achieved: 26500, Base: 8833.3}, NeedFound, -0.00214},
		{"figures past the end", Start{Target: two.Target, From: m("2025-05"), Achieved: 10, Base: 100}, NeedOver, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := Needed(tc.start)
			if got.Status != tc.status || math.Abs(got.Growth-tc.growth) > 1e-4 {
				t.Errorf("Needed = %+v, want %s %v", got, tc.status, tc.growth)
			}
			if got.Status == NeedFound {
				// The growth found, put back in, lands on the target at the end.
				end := Compute(tc.start, Scenario{Kind: Growth, Growth: got.Growth}).Path
				if v := end[len(end)-1].Value; math.Abs(v-float64(tc.start.Target.Value)) > Tolerance {
					t.Errorf("the growth found ends at %v, want %d ± %v", v, tc.start.Target.Value, Tolerance)
				}
			}
		})
	}
}

func TestStartOf(t *testing.T) {
	tg := progress.Target{Value: 100, Start: m("2025-01"), End: m("2025-12")}
	r := progress.Compute(tg, []progress.Point{{Month: m("2025-01"), Count: 60}, {Month: m("2025-02"), Count: 45}})
	s := StartOf(tg, r)
	if s.From != m("2025-02") || s.Achieved != 105 || s.Base != 52.5 || s.ReachedAt != m("2025-02") || s.Months() != 10 {
		t.Errorf("StartOf = %+v", s)
	}
	s = StartOf(tg, progress.Compute(tg, nil))
	if s.From != m("2024-12") || s.Achieved != 0 || s.Base != 0 || s.ReachedAt != month.Zero || s.Months() != 12 {
		t.Errorf("StartOf without figures = %+v", s)
	}
}

func TestParseGrowth(t *testing.T) {
	tests := []struct {
		in   string
		want float64
		err  string // message id, "" when good
	}{
		{"", 0, ""}, {"2", 0.02, ""}, {" +2.5 ", 0.025, ""}, {"-1", -0.01, ""}, {"2%", 0.02, ""}, {"2 %", 0.02, ""},
		{"２", 0.02, ""}, {"0", 0, ""}, {"100", 1, ""}, {"-99.5", -0.995, ""},
		{"abc", 0, "plan.error.growth_number"}, {"2,5", 0, "plan.error.growth_number"}, {"1e3", 0, "plan.error.growth_number"},
		{"NaN", 0, "plan.error.growth_number"}, {"Inf", 0, "plan.error.growth_number"}, {"0x10", 0, "plan.error.growth_number"},
		{"-100", 0, "plan.error.growth_range"}, {"100.1", 0, "plan.error.growth_range"}, {"5000", 0, "plan.error.growth_range"},
	}
	for _, tc := range tests {
		got, msg := ParseGrowth(tc.in)
		if msg.ID != tc.err || math.Abs(got-tc.want) > 1e-12 {
			t.Errorf("ParseGrowth(%q) = %v, %q; want %v, %q", tc.in, got, msg.ID, tc.want, tc.err)
		}
		if tc.err != "" && msg.Arg("value") == nil {
			t.Errorf("ParseGrowth(%q): the message does not quote the value", tc.in)
		}
	}
	_ = i18n.Msg{}
}
