package completeness

import (
	"testing"
	"time"

	"hrx/internal/bodies"
	"hrx/internal/month"
)

func ist(y int, m time.Month, d, h, min int) time.Time {
	return time.Date(y, m, d, h, min, 0, 0, bodies.Zone)
}

// TestClassify: on time, late, missing, recorded zero, not yet due, and a
// month published as "nothing to report", around the end of the due day.
func TestClassify(t *testing.T) {
	deadline := bodies.Deadline(15, month.MustParse("2025-12")) // the end of 15 January 2026, IST
	before, at, after := ist(2026, 1, 15, 23, 59), ist(2026, 1, 16, 0, 0), ist(2026, 2, 1, 9, 0)
	tests := []struct {
		name    string
		fill    Fill
		now     time.Time
		nothing time.Time
		want    Status
	}{
		{"people on the due day", Fill{Rows: 2, Total: 40, First: before}, after, time.Time{}, OnTime},
		{"people long before", Fill{Rows: 1, Total: 3, First: ist(2026, 1, 2, 10, 0)}, after, time.Time{}, OnTime},
		{"a zero on time", Fill{Rows: 1, Total: 0, First: before}, after, time.Time{}, Zero},
		{"at midnight after the due day is late", Fill{Rows: 1, Total: 5, First: at}, after, time.Time{}, Late},
		{"a zero late is late", Fill{Rows: 1, Total: 0, First: after}, after, time.Time{}, Late},
		{"nothing yet, the due day not over", Fill{}, before, time.Time{}, Pending},
		{"nothing at the deadline", Fill{}, at, time.Time{}, Missing},
		{"nothing after the deadline", Fill{}, after, time.Time{}, Missing},
		{"filled before the due date, asked before it", Fill{Rows: 1, Total: 9, First: ist(2026, 1, 3, 0, 0)}, ist(2026, 1, 4, 0, 0), time.Time{}, OnTime},
		{"nothing to report by the due date", Fill{}, after, before, Nothing},
		{"nothing to report after it", Fill{}, after, after, Late},
		{"figures win over nothing to report", Fill{Rows: 1, Total: 2, First: before}, after, after, OnTime},
	}
	for _, tt := range tests {
		if got := Classify(tt.fill, deadline, tt.now, tt.nothing); got != tt.want {
			t.Errorf("%s: %s, want %s", tt.name, got.Code(), tt.want.Code())
		}
	}
}

// TestRate: the share of the cells due that were filled by their due date;
// pending cells are not due; no cell due is no rate.
func TestRate(t *testing.T) {
	tests := []struct {
		counts  map[Status]int
		want    float64
		percent float64
		ok      bool
	}{
		{map[Status]int{}, 0, -1, false},
		{map[Status]int{Pending: 4}, 0, -1, false},
		{map[Status]int{OnTime: 3, Late: 1}, 0.75, 75, true},
		{map[Status]int{OnTime: 1, Zero: 1, Nothing: 1, Missing: 3, Pending: 10}, 0.5, 50, true},
		{map[Status]int{OnTime: 2, Missing: 1}, 2.0 / 3, 66.7, true},
		{map[Status]int{Late: 2, Missing: 2}, 0, 0, true},
	}
	for _, tt := range tests {
		var tl Tally
		for s, n := range tt.counts {
			for i := 0; i < n; i++ {
				tl.Add(s)
			}
		}
		got, ok := tl.Rate()
		if ok != tt.ok || got != tt.want || tl.Percent() != tt.percent {
			t.Errorf("%v: rate %v %v, percent %v; want %v %v %v", tt.counts, got, ok, tl.Percent(), tt.want, tt.ok, tt.percent)
		}
	}
}

// TestCompute: every owner's cells in every month, with each owner's due
// day across a year end and a short month, the administrators' share
// counted as an owner of its own, and the tallies per month, per body and
// overall.
func TestCompute(t *testing.T) {
	a, b, c := bodies.Cell{Direction: "IN-JP", Category: "student"}, bodies.Cell{Direction: "JP-IN", Category: "student"}, bodies.Cell{Direction: "IN-JP", Category: "engineer"}
	desk := bodies.Body{ID: 1, NameEN: "Desk", DueDay: 28, Cells: []bodies.Cell{a, b}}
	admins := bodies.AdminsShare()
	admins.Cells = []bodies.Cell{c}
	dec, jan := month.MustParse("2025-12"), month.MustParse("2026-01")
	in := Input{
		Months: []month.Month{dec, jan},
		Owners: []bodies.Body{desk, admins},
		Fills: map[Key]Fill{
			{dec, a}: {Rows: 1, Total: 10, First: ist(2026, 1, 28, 23, 0)}, // the desk's day 28 across the year end: on time
			{dec, b}: {Rows: 1, Total: 0, First: ist(2026, 1, 20, 9, 0)},   // a zero on time
			{dec, c}: {Rows: 1, Total: 4, First: ist(2026, 1, 16, 9, 0)},   // the admins' 15th: late
			{jan, a}: {Rows: 1, Total: 2, First: ist(2026, 3, 1, 0, 0)},    // February has 28 days: due by 1 March 00:00, late
		},
		Now: ist(2026, 3, 10, 0, 0),
	}
	r := Compute(in)
	want := [][]Cell{
		{{Cell: a, Status: OnTime}, {Cell: b, Status: Zero}}, {{Cell: c, Status: Late}},
		{{Cell: a, Status: Late}, {Cell: b, Status: Missing}}, {{Cell: c, Status: Missing}},
	}
	k := 0
	for i := range r.Months {
		for j := range r.Owners {
			for n, got := range r.Cells[i][j] {
				if got.Cell != want[k][n].Cell || got.Status != want[k][n].Status {
					t.Errorf("%s %d %v: %s, want %s", r.Months[i], j, got.Cell, got.Status.Code(), want[k][n].Status.Code())
				}
			}
			k++
		}
	}
	if got := r.Cells[0][0][0].Deadline; !got.Equal(ist(2026, 1, 29, 0, 0)) {
		t.Errorf("the desk's December deadline: %v", got)
	}
	if got := r.Cells[1][1][0].Deadline; !got.Equal(ist(2026, 2, 16, 0, 0)) {
		t.Errorf("the admins' January deadline: %v", got)
	}
	if p := r.ByMonth[0].Percent(); p != 66.7 {
		t.Errorf("December's rate %v", p)
	}
	if p := r.ByMonth[1].Percent(); p != 0 {
		t.Errorf("January's rate %v", p)
	}
	if p := r.ByOwner[0].Percent(); p != 50 {
		t.Errorf("the desk's rate %v", p)
	}
	if p := r.ByOwner[1].Percent(); p != 0 || r.ByOwner[1].Due() != 2 {
		t.Errorf("the admins' rate %v over %d", p, r.ByOwner[1].Due())
	}
	if r.Total.Due() != 6 || r.Total.Reported() != 2 || r.Grid[0][0].Of(Zero) != 1 {
		t.Errorf("total %+v", r.Total)
	}
	// Asked in January, December's cells are not due yet: pending, no rate.
	in.Now = ist(2026, 1, 10, 0, 0)
	in.Fills = nil
	r = Compute(in)
	if _, ok := r.ByMonth[0].Rate(); ok || r.ByMonth[0].Of(Pending) != 3 {
		t.Errorf("not due yet: %+v", r.ByMonth[0])
	}
	// A month published as "nothing to report" on time counts as reported.
	in.Now = ist(2026, 3, 10, 0, 0)
	in.Nothing = map[month.Month]time.Time{dec: ist(2026, 1, 10, 0, 0)}
	r = Compute(in)
	if r.ByMonth[0].Of(Nothing) != 3 || r.ByMonth[0].Percent() != 100 {
		t.Errorf("nothing to report: %+v", r.ByMonth[0])
	}
}
