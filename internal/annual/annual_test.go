package annual

import (
	"reflect"
	"testing"
	"time"

	"hrx/internal/approval"
	"hrx/internal/audit"
	"hrx/internal/bodies"
	"hrx/internal/breakdown"
	"hrx/internal/completeness"
	"hrx/internal/i18n"
	"hrx/internal/i18n/i18ntest"
	"hrx/internal/month"
	"hrx/internal/progress"
	"hrx/internal/report"
	"hrx/internal/targets"
)

var mm = month.MustParse

func TestYears(t *testing.T) {
	for _, tc := range []struct {
		n, start int
		from, to string
	}{
		{2026, 9, "2025-09", "2026-08"},
		{2025, 9, "2024-09", "2025-08"},
		{2026, 1, "2026-01", "2026-12"},
		{2026, 4, "2025-04", "2026-03"},
		{2026, 0, "2025-09", "2026-08"}, // out of range: the default
	} {
		y := Of(tc.n, tc.start)
		if y.From != mm(tc.from) || y.To != mm(tc.to) || y.N != tc.n {
			t.Errorf("Of(%d, %d) = %v..%v, want %s..%s", tc.n, tc.start, y.From, y.To, tc.from, tc.to)
		}
	}
	for _, tc := range []struct {
		m     string
		start int
		want  int
	}{
		{"2025-08", 9, 2025}, {"2025-09", 9, 2026}, {"2026-08", 9, 2026}, {"2026-09", 9, 2027},
		{"2026-01", 1, 2026}, {"2026-12", 1, 2026},
	} {
		if got := Containing(mm(tc.m), tc.start); got.N != tc.want || !got.Contains(mm(tc.m)) {
			t.Errorf("Containing(%s, %d) = %d, want %d", tc.m, tc.start, got.N, tc.want)
		}
	}
	if got := StartMonth([]month.Month{mm("2026-04"), mm("2025-09")}); got != 9 {
		t.Errorf("StartMonth = %d, want 9 (the earliest window's)", got)
	}
	if got := StartMonth(nil); got != DefaultStart {
		t.Errorf("StartMonth(none) = %d", got)
	}
	ys := Years(mm("2024-09"), mm("2026-10"), 9)
	var ns []int
	for _, y := range ys {
		ns = append(ns, y.N)
	}
	if !reflect.DeepEqual(ns, []int{2027, 2026, 2025}) {
		t.Errorf("Years = %v", ns)
	}
	if Years(month.Zero, mm("2026-10"), 9) != nil {
		t.Error("Years without figures")
	}
	if got := Of(2026, 9).Ordinal(mm("2025-09")); got != 1 {
		t.Errorf("Ordinal = %d, want 1", got)
	}
}

func cell(m, dir, cat string, n int64) breakdown.Cell {
	return breakdown.Cell{Month: mm(m), Direction: dir, Category: cat, People: n}
}

func TestSummarize(t *testing.T) {
	cells := []breakdown.Cell{
		cell("2024-09", "IN-JP", "student", 100),
		cell("2024-10", "IN-JP", "student", 50),
		cell("2024-10", "JP-IN", "engineer", 50),
		cell("2024-11", "IN-JP", "student", 999), // after the same months a year earlier
		cell("2025-09", "IN-JP", "student", 120),
		cell("2025-09", "JP-IN", "engineer", 10),
		cell("2025-10", "IN-JP", "engineer", 100),
		cell("2025-10", "IN-JP", "", 0), // nobody: ignored
	}
	y := Of(2026, 9)
	s := Summarize(cells, y, mm("2025-10"))
	if s.AsOf != mm("2025-10") || !s.SoFar() {
		t.Fatalf("AsOf %v, SoFar %v", s.AsOf, s.SoFar())
	}
	if s.People != 230 || s.Prev != 200 {
		t.Errorf("People %d, Prev %d; want 230 and 200 (the same two months a year earlier)", s.People, s.Prev)
	}
	if p, ok := s.Change(); !ok || p != 15 {
		t.Errorf("Change = %v %v, want 15", p, ok)
	}
	want := []MonthRow{
		{Month: mm("2025-09"), ToJapan: 120, ToIndia: 10, Total: 130, PrevTotal: 100},
		{Month: mm("2025-10"), ToJapan: 100, Total: 100, PrevTotal: 100},
	}
	if !reflect.DeepEqual(s.Months, want) {
		t.Errorf("Months = %+v", s.Months)
	}
	wantCats := []CategoryRow{{"engineer", 110, 50}, {"student", 120, 150}}
	if !reflect.DeepEqual(s.Categories, []CategoryRow{wantCats[1], wantCats[0]}) {
		t.Errorf("Categories = %+v", s.Categories)
	}
	// A year over: AsOf is its last month, not the latest published.
	if s := Summarize(cells, Of(2025, 9), mm("2025-10")); s.AsOf != mm("2025-08") || s.SoFar() || s.People != 1199 {
		t.Errorf("2025: AsOf %v SoFar %v People %d", s.AsOf, s.SoFar(), s.People)
	}
	// A year not begun.
	if s := Summarize(cells, Of(2027, 9), mm("2025-10")); s.AsOf != month.Zero || s.Months != nil {
		t.Errorf("2027: %+v", s)
	}
}

func TestChange(t *testing.T) {
	for _, tc := range []struct {
		now, before int64
		want        float64
		ok          bool
	}{
		{48120, 42964, 12, true},
		{90, 100, -10, true},
		{100, 100, 0, true},
		{1, 3, -66.7, true},
		{5, 0, 0, false},
	} {
		if got, ok := Change(tc.now, tc.before); got != tc.want || ok != tc.ok {
			t.Errorf("Change(%d, %d) = %v %v, want %v %v", tc.now, tc.before, got, ok, tc.want, tc.ok)
		}
	}
}

// progressOf is a target's progress from monthly people, as report computes it.
func progressOf(tg targets.Target, monthly map[string]int64) report.TargetProgress {
	var pts []progress.Point
	for m, n := range monthly {
		pts = append(pts, progress.Point{Month: mm(m), Count: n})
	}
	tp := report.TargetProgress{Target: tg, Result: progress.Compute(tg.Plan(), pts)}
	tp.Months = month.Range(tg.Start, tp.Result.AsOf)
	for _, m := range tp.Months {
		tp.Monthly = append(tp.Monthly, monthly[m.String()])
		tp.NothingReported = append(tp.NothingReported, false)
	}
	tp.ByCategory = []report.Series{{Values: append([]int64(nil), tp.Monthly...)}}
	return tp
}

func TestForTarget(t *testing.T) {
	// 1,200 people over 12 months from 2025-09: 100 expected a month.
	tg := targets.Target{Slug: "t", NameEN: "T", Value: 1200, Start: mm("2025-09"), End: mm("2026-08")}
	long := tg
	long.Value, long.End = 2400, mm("2027-08")
	monthly := map[string]int64{"2025-09": 90, "2025-10": 110, "2025-11": 80, "2026-09": 50, "2026-10": 70}
	for _, tc := range []struct {
		name               string
		tg                 targets.Target
		y                  int
		ok                 bool
		asOf               string
		achieved, expected int64
		cum, cumExp, prev  int64
		months             int
		actual             int
	}{
		{"year in progress: up to the last figures", tg, 2026, true, "2025-11", 280, 300, 280, 300, 0, 3, 3},
		{"second year so far", long, 2027, true, "2026-10", 120, 200, 400, 1400, 200, 2, 14},
		{"first year of a longer window", long, 2026, true, "2026-08", 280, 1200, 280, 1200, 0, 12, 12},
		{"before the window", tg, 2025, false, "", 0, 0, 0, 0, 0, 0, 0},
		{"after the window", tg, 2027, false, "", 0, 0, 0, 0, 0, 0, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			mon := monthly
			if tc.tg.End == tg.End { // the short window has no figures after it
				mon = map[string]int64{"2025-09": 90, "2025-10": 110, "2025-11": 80}
			}
			ty, ok := ForTarget(progressOf(tc.tg, mon), Of(tc.y, 9))
			if ok != tc.ok {
				t.Fatalf("ok = %v", ok)
			}
			if !ok {
				return
			}
			if ty.AsOf != mm(tc.asOf) || ty.Achieved != tc.achieved || ty.Expected != tc.expected ||
				ty.Cumulative != tc.cum || ty.CumExpected != tc.cumExp || ty.Prev != tc.prev {
				t.Errorf("got AsOf %v achieved %d expected %d cum %d/%d prev %d", ty.AsOf, ty.Achieved, ty.Expected, ty.Cumulative, ty.CumExpected, ty.Prev)
			}
			v := ty.Progress
			if len(v.Months) != tc.months || len(v.Monthly) != tc.months || len(v.ByCategory[0].Values) != tc.months || len(v.Result.Actual) != tc.actual || v.Result.Projection != nil {
				t.Errorf("view: %d months, %d monthly, %d actual, projection %v", len(v.Months), len(v.Monthly), len(v.Result.Actual), v.Result.Projection)
			}
		})
	}
}

func TestForTargetPercent(t *testing.T) {
	for _, tc := range []struct {
		a, e int64
		want float64
		ok   bool
	}{{9950, 10000, 99.5, true}, {0, 0, 0, false}, {3, 2, 150, true}} {
		if got, ok := (TargetYear{Achieved: tc.a, Expected: tc.e}).Percent(); got != tc.want || ok != tc.ok {
			t.Errorf("Percent(%d/%d) = %v %v", tc.a, tc.e, got, ok)
		}
	}
}

func at(s string) time.Time {
	t, err := time.Parse(time.DateTime, s)
	if err != nil {
		panic(err)
	}
	return t
}

func TestRevisions(t *testing.T) {
	e := func(id int64, action, m, when, reason string) audit.Entry {
		return audit.Entry{ID: id, Entity: "month", Action: action, EntityKey: m, Month: m, At: at(when), Reason: reason}
	}
	entries := []audit.Entry{
		e(5, "publish", "2025-10", "2025-12-01 10:00:00", ""), // out of order: sorted by id
		e(1, "publish", "2025-09", "2025-10-20 10:00:00", ""),
		e(2, "publish", "2025-10", "2025-11-20 10:00:00", ""),
		e(3, "reopen", "2025-10", "2025-11-25 10:00:00", "the ministry sent corrected student figures"),
		e(4, "reopen", "2025-10", "2025-11-26 10:00:00", "second reopening while open: ignored"),
		e(6, "reopen", "2025-09", "2025-12-02 10:00:00", "not published again yet"),
		e(7, "reopen", "2024-10", "2025-12-02 10:00:00", "another year"),
		e(8, "publish", "2024-10", "2025-12-03 10:00:00", ""),
		{ID: 9, Entity: "figure", Action: "publish", EntityKey: "2025-09", At: at("2025-12-04 10:00:00")},
	}
	got := Revisions(entries, Of(2026, 9))
	want := []Revision{{Month: mm("2025-10"), Reopened: at("2025-11-25 10:00:00"), Reason: "the ministry sent corrected student figures", Republished: at("2025-12-01 10:00:00")}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Revisions = %+v", got)
	}
}

func TestFlags(t *testing.T) {
	pub := at("2025-11-20 10:00:00")
	states := map[month.Month]approval.MonthState{
		mm("2025-10"): {Month: mm("2025-10"), State: approval.Published, Publications: 1, PublishedAt: &pub},
		mm("2025-11"): {Month: mm("2025-11"), State: approval.Submitted},
	}
	confs := []approval.FlagConfirmation{
		{ID: 1, Month: mm("2025-10"), FlagKey: "2025-10/IN-JP/student", Value: 400, Reason: "first", ConfirmedAt: at("2025-11-19 10:00:00")},
		{ID: 2, Month: mm("2025-10"), FlagKey: "2025-10/IN-JP/student", Value: 412, Reason: "an intake", ConfirmedAt: at("2025-11-20 10:00:00")},
		{ID: 3, Month: mm("2025-10"), FlagKey: "2025-10/IN-JP/student", Value: 500, Reason: "after publication", ConfirmedAt: at("2025-11-21 10:00:00")},
		{ID: 4, Month: mm("2025-10"), FlagKey: "2025-10/total", Value: 9000, Reason: "a big month", ConfirmedAt: at("2025-11-20 09:00:00")},
		{ID: 5, Month: mm("2025-11"), FlagKey: "2025-11/total", Value: 1, Reason: "not public", ConfirmedAt: at("2025-12-01 09:00:00")},
	}
	got := Flags(confs, states, Of(2026, 9))
	want := []FlagNote{
		{Month: mm("2025-10"), Value: 9000, Reason: "a big month", At: at("2025-11-20 09:00:00")},
		{Month: mm("2025-10"), Direction: "IN-JP", Category: "student", Value: 412, Reason: "an intake", At: at("2025-11-20 10:00:00")},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Flags = %+v", got)
	}
	if !got[0].Total() || got[1].Total() {
		t.Error("Total")
	}
}

func TestLate(t *testing.T) {
	a := bodies.Body{ID: 1, NameEN: "A"}
	b := bodies.Body{ID: 2, NameEN: "B"}
	var onTime, late, mixed completeness.Tally
	onTime.Add(completeness.OnTime)
	late.Add(completeness.Late)
	mixed.Add(completeness.Late)
	mixed.Add(completeness.OnTime)
	r := completeness.Result{
		Months: []month.Month{mm("2025-09"), mm("2025-10"), mm("2025-11")},
		Owners: []bodies.Body{a, b},
		Grid:   [][]completeness.Tally{{onTime, onTime}, {late, onTime}, {late, late}},
	}
	r.ByMonth = []completeness.Tally{{}, {}, {}}
	for i := range r.Grid {
		for _, tl := range r.Grid[i] {
			for _, s := range completeness.Statuses {
				for range tl.Of(s) {
					r.ByMonth[i].Add(s)
				}
			}
		}
	}
	got := Late(r, func(m month.Month) bool { return m <= mm("2025-10") })
	want := []LateMonth{{Month: mm("2025-10"), Late: 1, Due: 2, Bodies: []bodies.Body{a}}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Late = %+v", got)
	}
}

func TestSentences(t *testing.T) {
	tg := targets.Target{Slug: "skilled", NameEN: "Skilled", NameJA: "高度人材", Value: 1200, Start: mm("2025-09"), End: mm("2026-08")}
	ty, _ := ForTarget(progressOf(tg, map[string]int64{"2025-09": 90}), Of(2026, 9))
	var msgs []i18n.Msg
	for _, s := range []Summary{
		{Year: Of(2026, 9), AsOf: mm("2026-08"), People: 48120, Prev: 42964},
		{Year: Of(2026, 9), AsOf: mm("2026-08"), People: 100, Prev: 200},
		{Year: Of(2026, 9), AsOf: mm("2026-08"), People: 100, Prev: 100},
		{Year: Of(2026, 9), AsOf: mm("2026-03"), People: 100},
		{Year: Of(2026, 9), AsOf: mm("2026-03"), People: 100, Prev: 50},
		{Year: Of(2026, 9)},
	} {
		msgs = append(msgs, Sentences(s, []TargetYear{ty}, i18n.EN)...)
	}
	msgs = append(msgs, NoteSentences(0, 1, 2)...)
	msgs = append(msgs, Of(2026, 1).Name(), Of(2026, 9).Span())
	if n := i18ntest.InEveryLanguage(t, msgs); n < 14 {
		t.Errorf("%d messages", n)
	}
	en := i18n.New(i18n.EN, "")
	got := en.Tr(Sentences(Summary{Year: Of(2026, 9), AsOf: mm("2026-08"), People: 48120, Prev: 42964}, nil, i18n.EN)[0])
	if want := "In 2025–26 (September 2025 – August 2026), 48,120 people moved, up 12% on 2024–25 (42,964 people)."; got != want {
		t.Errorf("got  %q\nwant %q", got, want)
	}
	if got := en.Tr(Of(2026, 1).Name()); got != "2026" {
		t.Errorf("calendar year: %q", got)
	}
}
