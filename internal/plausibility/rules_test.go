package plausibility

import (
	"math"
	"testing"

	"hrx/internal/i18n"
	"hrx/internal/month"
	"hrx/internal/settings"
)

var (
	sep25   = month.MustParse("2025-09")
	sep24   = month.MustParse("2024-09")
	engIN   = Cell{"IN-JP", "engineer"}
	studJP  = Cell{"JP-IN", "student"}
	current = Defaults()
)

// history is a cell's totals by how many months before September 2025 they are.
type history map[int]int64

func six(v int64) history { return history{1: v, 2: v, 3: v, 4: v, 5: v, 6: v} }

func with(h history, before int, v int64) history {
	out := history{before: v}
	for k, x := range h {
		out[k] = x
	}
	return out
}

func near(a, b float64) bool { return math.Abs(a-b) < 0.005 }

// TestCellRule is every edge of the cell rule: each threshold at its edge,
// missing history, zeros and the floor.
func TestCellRule(t *testing.T) {
	for _, c := range []struct {
		name    string
		th      Thresholds
		hist    history
		value   int64
		flagged bool
		up      bool
		ratio   float64
		months  int  // how many months the median was taken over
		year    bool // a same month a year earlier was compared
	}{
		{"the issue's cell: 75 a month, 84 a year before, now 412", current, with(six(75), 12, 84), 412, true, true, 412.0 / 84, 6, true},
		{"exactly 3 times both is not more than 3 times", current, with(six(30), 12, 30), 90, false, false, 0, 0, false},
		{"just over 3 times both", current, with(six(30), 12, 30), 91, true, true, 91.0 / 30, 6, true},
		{"far above the median but not the year before", current, with(six(30), 12, 60), 100, false, false, 0, 0, false},
		{"above the median, below the year before: not both", current, with(six(10), 12, 200), 40, false, false, 0, 0, false},
		{"exactly a third of both is not less than a third", current, with(six(90), 12, 90), 30, false, false, 0, 0, false},
		{"just under a third of both", current, with(six(90), 12, 90), 29, true, false, 29.0 / 90, 6, true},
		{"a difference of 19 people is under the floor", current, with(six(5), 12, 5), 24, false, false, 0, 0, false},
		{"a difference of exactly 20 people is not", current, with(six(5), 12, 5), 25, true, true, 5, 6, true},
		{"a floor of 0 flags small numbers", Thresholds{3, 0, 6, 50}, with(six(1), 12, 1), 4, true, true, 4, 6, true},
		{"no same month a year before: the median alone decides", current, six(75), 412, true, true, 412.0 / 75, 6, false},
		{"no same month a year before, near the median", current, six(75), 200, false, false, 0, 0, false},
		{"a first figure is never flagged", current, history{}, 412, false, false, 0, 0, false},
		{"one earlier month is a median of one", current, history{1: 10}, 400, true, true, 40, 1, false},
		{"zero before, 412 now: far above, without a ratio", current, with(six(0), 12, 0), 412, true, true, 0, 6, true},
		{"zero before, 15 now: under the floor", current, with(six(0), 12, 0), 15, false, false, 0, 0, false},
		{"zero median, 84 a year before: the ratio is the year's", current, with(six(0), 12, 84), 412, true, true, 412.0 / 84, 6, true},
		{"zero now after 75 a month", current, with(six(75), 12, 84), 0, true, false, 0, 6, true},
		{"zero now, zero before", current, with(six(0), 12, 0), 0, false, false, 0, 0, false},
		{"the median of an even number of months", current, history{1: 10, 2: 20, 3: 30, 4: 40}, 100, true, true, 4, 4, false},
		{"only the last 6 months with figures make the median", current, history{1: 10, 2: 10, 3: 10, 4: 10, 5: 10, 6: 10, 7: 400, 8: 400, 9: 400, 10: 400, 11: 400}, 412, true, true, 41.2, 6, false},
		{"a history of 2 months takes only the last 2", Thresholds{3, 20, 2, 50}, history{1: 400, 2: 400, 3: 10, 4: 10, 5: 10}, 412, false, false, 0, 0, false},
		{"months without figures are left out, not zeros", current, history{1: 75, 8: 75, 10: 75}, 100, false, false, 0, 0, false},
		{"months without figures are left out: a median of 3", current, history{1: 75, 8: 75, 10: 75}, 412, true, true, 412.0 / 75, 3, false},
		{"a ratio of 5: 4.9 times the year before is not enough", Thresholds{5, 20, 6, 50}, with(six(75), 12, 84), 412, false, false, 0, 0, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			tot := NewTotals()
			for before, v := range c.hist {
				tot.Set(sep25.Add(-before), engIN, v)
			}
			tot.Set(sep25, engIN, c.value)
			var got []Flag
			for _, f := range Check(c.th, tot, sep25, nil) {
				if f.Kind == CellFlag {
					got = append(got, f)
				}
			}
			if !c.flagged {
				if len(got) != 0 {
					t.Fatalf("flagged: %+v (%s)", got[0], got[0].Msg())
				}
				return
			}
			if len(got) != 1 {
				t.Fatalf("%d flags, want 1", len(got))
			}
			f := got[0]
			if f.Month != sep25 || f.Cell != engIN || f.Value != c.value || f.Up != c.up || !near(f.Ratio, c.ratio) {
				t.Errorf("flag %+v: want up %v, ratio %.3f", f, c.up, c.ratio)
			}
			if f.Median == nil || f.Median.Months != c.months {
				t.Errorf("median %+v, want one over %d months", f.Median, c.months)
			}
			if (f.YearAgo != nil) != c.year || (c.year && f.YearAgo.Month != sep24) {
				t.Errorf("year ago %+v, want compared: %v", f.YearAgo, c.year)
			}
			if f.Key() != "2025-09/IN-JP/engineer" {
				t.Errorf("key %q", f.Key())
			}
		})
	}
}

// TestCellRuleOneReference: CheckCell with only one of the two references
// decides on that one; with neither it does not flag.
func TestCellRuleOneReference(t *testing.T) {
	if _, ok := CheckCell(current, 412, nil, &Reference{Value: 84, Month: sep24}); !ok {
		t.Error("412 against 84 a year before alone: not flagged")
	}
	if _, ok := CheckCell(current, 412, &Reference{Value: 75, Months: 6}, nil); !ok {
		t.Error("412 against a median of 75 alone: not flagged")
	}
	if _, ok := CheckCell(current, 412, nil, nil); ok {
		t.Error("nothing to compare with, and flagged")
	}
}

// TestTotalRule: a month's total against the previous month with figures.
func TestTotalRule(t *testing.T) {
	for _, c := range []struct {
		name       string
		prev, v    int64
		flagged    bool
		up         bool
		percent    float64
		wantSaying string
	}{
		{"exactly 50% more is not more than 50%", 1000, 1500, false, false, 0, ""},
		{"just over 50% more", 1000, 1501, true, true, 50.1, "The month’s total, 1,501, is 50.1% more than August 2025 (1,000)"},
		{"exactly 50% less", 1000, 500, false, false, 0, ""},
		{"just over 50% less", 1000, 499, true, false, 50.1, "The month’s total, 499, is 50.1% less than August 2025 (1,000)"},
		{"150% more, but 15 people: under the floor", 10, 25, false, false, 0, ""},
		{"up from 0 by at least the floor", 0, 30, true, true, 0, "The month’s total is 30; August 2025 had 0"},
		{"up from 0 by fewer than the floor", 0, 10, false, false, 0, ""},
		{"no change", 0, 0, false, false, 0, ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			tot := NewTotals()
			tot.Set(sep25.Add(-1), engIN, c.prev)
			tot.Set(sep25, engIN, c.v)
			var got []Flag
			for _, f := range Check(current, tot, sep25, nil) {
				if f.Kind == TotalFlag {
					got = append(got, f)
				}
			}
			if !c.flagged {
				if len(got) != 0 {
					t.Fatalf("flagged: %s", got[0].Msg())
				}
				return
			}
			if len(got) != 1 {
				t.Fatalf("%d flags", len(got))
			}
			f := got[0]
			if f.Up != c.up || !near(f.Percent, c.percent) || f.Previous.Month != sep25.Add(-1) || f.Key() != "2025-09/total" {
				t.Errorf("%+v", f)
			}
			if s := f.Msg().String(); s != c.wantSaying {
				t.Errorf("says %q, want %q", s, c.wantSaying)
			}
		})
	}
}

// TestTotalAcrossCellsAndGaps: the total sums every cell, and is compared
// with the previous month that has figures, skipping empty months; the first
// month with figures is not flagged.
func TestTotalAcrossCellsAndGaps(t *testing.T) {
	tot := NewTotals()
	jul, aug := sep25.Add(-2), sep25.Add(-1)
	tot.Set(jul, engIN, 600)
	tot.Set(jul, studJP, 400)
	tot.Set(sep25, engIN, 900)
	tot.Set(sep25, studJP, 700)
	flags := Check(current, tot, sep25, nil)
	if len(flags) != 1 || flags[0].Kind != TotalFlag || flags[0].Value != 1600 || flags[0].Previous.Month != jul || !near(flags[0].Percent, 60) {
		t.Fatalf("flags %+v", flags)
	}
	if got := Check(current, tot, jul, nil); len(got) != 0 {
		t.Errorf("the first month is flagged: %+v", got)
	}
	if got := Check(current, tot, aug, nil); len(got) != 0 {
		t.Errorf("a month without figures is flagged: %+v", got)
	}
}

// TestCheckOnlyTheCellsAsked: with cells given, only those are checked (and
// the month's total); cells are listed in direction and category order.
func TestCheckOnlyTheCellsAsked(t *testing.T) {
	tot := NewTotals()
	for _, c := range []Cell{studJP, engIN, {"IN-JP", "student"}} {
		for before := 1; before <= 6; before++ {
			tot.Set(sep25.Add(-before), c, 100)
		}
		tot.Set(sep25, c, 1000)
	}
	all := Check(current, tot, sep25, nil)
	if len(all) != 4 || all[0].Cell != engIN || all[1].Cell != (Cell{"IN-JP", "student"}) || all[2].Cell != studJP || all[3].Kind != TotalFlag {
		t.Fatalf("every cell: %+v", all)
	}
	some := Check(current, tot, sep25, []Cell{studJP, studJP, {"JP-IN", "nosuch"}})
	if len(some) != 2 || some[0].Cell != studJP || some[1].Kind != TotalFlag {
		t.Errorf("one cell asked: %+v", some)
	}
}

// TestMessages: each flag in words, in each language.
func TestMessages(t *testing.T) {
	yearAgo := func(v float64) *Reference { return &Reference{Value: v, Month: sep24} }
	median := func(v float64, n int) *Reference { return &Reference{Value: v, Months: n} }
	cell := func(v int64, m, y *Reference) Flag {
		f, ok := CheckCell(current, v, m, y)
		if !ok {
			t.Fatalf("%d against %+v, %+v: not flagged", v, m, y)
		}
		return f
	}
	en, ja, hi := i18n.New(i18n.EN, ""), i18n.New(i18n.JA, ""), i18n.New(i18n.HI, "")
	for _, c := range []struct {
		l    i18n.Locale
		f    Flag
		want string
	}{
		{en, cell(412, median(75, 6), yearAgo(84)), "412 is 5.5 times the median of its last 6 months with figures (75) and 4.9 times September 2024 (84)"},
		{ja, cell(412, median(75, 6), yearAgo(84)), "412人は、数値のある直近6か月の中央値（75人）の5.5倍、2024年9月（84人）の4.9倍です"},
		{hi, cell(412, median(75, 6), yearAgo(84)), "412, आँकड़ों वाले पिछले 6 महीनों की माध्यिका (75) का 5.5 गुना और सितंबर 2024 (84) का 4.9 गुना है"},
		{en, cell(400, median(10, 1), nil), "400 is 40 times its previous month with figures (10)"},
		{en, cell(12, median(75.5, 4), nil), "12 is 15.9% of the median of its last 4 months with figures (76)"},
		{en, cell(0, median(75, 6), yearAgo(84)), "0 is 0% of the median of its last 6 months with figures (75) and 0% of September 2024 (84)"},
		{en, cell(412, median(0, 6), yearAgo(0)), "412 is far above the median of its last 6 months with figures (0) and far above September 2024 (0)"},
		{en, cell(250000, median(1000, 6), nil), "250,000 is 250 times the median of its last 6 months with figures (1,000)"},
		{i18n.New(i18n.EN, "IN"), cell(250000, median(1000, 6), nil), "2,50,000 is 250 times the median of its last 6 months with figures (1,000)"},
	} {
		if got := c.l.Tr(c.f.Msg()); got != c.want {
			t.Errorf("%s:\n got %q\nwant %q", c.l.Code(), got, c.want)
		}
	}
	if cell(412, median(75, 6), nil).Short().ID != "plausibility.short.above" || cell(0, median(75, 6), nil).Short().ID != "plausibility.short.below" {
		t.Error("short words")
	}
}

// TestThresholdsOf: the settings' values, whole where they count people or
// months, and the defaults.
func TestThresholdsOf(t *testing.T) {
	if d := Defaults(); d != (Thresholds{Ratio: 3, Floor: 20, History: 6, TotalJump: 50}) {
		t.Errorf("defaults %+v", d)
	}
	got := ThresholdsOf(settings.Values{"flag_ratio": 2.5, "flag_floor": 10.4, "flag_history": 2.5, "flag_total_jump": 80})
	if got != (Thresholds{Ratio: 2.5, Floor: 10, History: 3, TotalJump: 80}) {
		t.Errorf("from settings: %+v", got)
	}
}

func TestMedian(t *testing.T) {
	for _, c := range []struct {
		in   []int64
		want float64
	}{{nil, 0}, {[]int64{5}, 5}, {[]int64{9, 1, 5}, 5}, {[]int64{40, 10, 30, 20}, 25}, {[]int64{0, 0, 7}, 0}} {
		if got := Median(c.in); got != c.want {
			t.Errorf("Median(%v) = %v, want %v", c.in, got, c.want)
		}
	}
}
