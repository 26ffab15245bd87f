package bodies

import (
	"testing"
	"time"

	"hrx/internal/i18n"
	"hrx/internal/month"
)

// TestDeadline: the end of the due day of the following month in India
// time, across year ends and short months.
func TestDeadline(t *testing.T) {
	tests := []struct {
		day  int
		m    string
		want string // the deadline in UTC
	}{
		{15, "2025-09", "2025-10-15T18:30:00Z"}, // 16 Oct 00:00 IST
		{15, "2025-12", "2026-01-15T18:30:00Z"}, // across the year end
		{28, "2026-01", "2026-02-28T18:30:00Z"}, // February, not a leap year: 1 Mar 00:00 IST
		{28, "2027-12", "2028-01-28T18:30:00Z"}, // year end with the last due day
		{28, "2028-01", "2028-02-28T18:30:00Z"}, // leap year: due on 28 Feb, the 29th is after
		{1, "2026-11", "2026-12-01T18:30:00Z"},  // the first
		{0, "2026-03", "2026-04-15T18:30:00Z"},  // out of range: the default
		{31, "2026-03", "2026-04-15T18:30:00Z"}, // out of range: the default
		{15, "2026-06", "2026-07-15T18:30:00Z"},
	}
	for _, tt := range tests {
		got := Deadline(tt.day, month.MustParse(tt.m)).UTC().Format(time.RFC3339)
		if got != tt.want {
			t.Errorf("Deadline(%d, %s) = %s, want %s", tt.day, tt.m, got, tt.want)
		}
	}
	en, ja := i18n.New(i18n.EN, ""), i18n.New(i18n.JA, "")
	if got := en.Tr(DueDay(15, month.MustParse("2025-12"))); got != "15 January 2026" {
		t.Errorf("due day in English: %q", got)
	}
	if got := ja.Tr(DueDay(28, month.MustParse("2026-01"))); got != "2026年2月28日" {
		t.Errorf("due day in Japanese: %q", got)
	}
}

func TestParseDueDay(t *testing.T) {
	for in, want := range map[string]int{"": 15, " 7 ": 7, "1": 1, "28": 28} {
		if got, ok := parseDueDay(in); !ok || got != want {
			t.Errorf("parseDueDay(%q) = %d, %v", in, got, ok)
		}
	}
	for _, in := range []string{"0", "29", "31", "-1", "15.5", "fifteen", "１５"} {
		if _, ok := parseDueDay(in); ok {
			t.Errorf("parseDueDay(%q) accepted", in)
		}
	}
}

// TestOpenMonths: each body's open months with missing cells, latest first,
// the administrators' share for cells with no body, closed and complete
// months left out, overdue after the deadline only.
func TestOpenMonths(t *testing.T) {
	a, b, c := Cell{"IN-JP", "student"}, Cell{"JP-IN", "student"}, Cell{"IN-JP", "engineer"}
	desk := Body{ID: 1, NameEN: "Desk", DueDay: 10, Cells: []Cell{a, b}}
	asg := assign([]Body{desk}, []Cell{a, b, c})
	owners := asg.Owners()
	if len(owners) != 2 || !owners[1].Admins() || len(owners[1].Cells) != 1 || owners[1].Cells[0] != c {
		t.Fatalf("owners: %+v", owners)
	}
	if asg.Owner(c).ID != 0 || asg.Owner(a).ID != 1 {
		t.Fatalf("owner of cells")
	}
	m1, m2, m3 := month.MustParse("2025-10"), month.MustParse("2025-11"), month.MustParse("2025-12")
	has := map[month.Month]map[Cell]bool{m1: {a: true, b: true, c: true}, m2: {a: true}}
	closed := map[month.Month]bool{}
	now := time.Date(2026, 1, 10, 12, 0, 0, 0, time.UTC) // after 10 Dec's deadline? no: 2025-12 is due 10 Jan end
	got := openMonths(owners, m1, m3, closed, has, now)
	type row struct {
		body    int64
		m       month.Month
		missing int
		overdue bool
	}
	var rows []row
	for _, d := range got {
		rows = append(rows, row{d.Body.ID, d.Month, len(d.Missing), d.Overdue})
	}
	want := []row{{1, m3, 2, false}, {0, m3, 1, false}, {1, m2, 1, true}, {0, m2, 1, true}}
	if len(rows) != len(want) {
		t.Fatalf("open months %+v, want %+v", rows, want)
	}
	for i := range want {
		if rows[i] != want[i] {
			t.Errorf("row %d: %+v, want %+v", i, rows[i], want[i])
		}
	}
	closed[m2] = true
	if got := openMonths(owners, m1, m3, closed, has, now); len(got) != 2 {
		t.Errorf("a submitted or published month is not open: %+v", got)
	}
}
