package demo

import (
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"hrx/internal/month"
)

var today = time.Date(2026, 11, 27, 15, 4, 5, 0, time.UTC)

// currentIndia lists India's current ISO 3166-2 codes (regions.csv, no aliases).
var currentIndia = strings.Fields(`IN-AN IN-AP IN-AR IN-AS IN-BR IN-CH IN-CG IN-DH IN-DL IN-GA IN-GJ IN-HR
	IN-HP IN-JK IN-JH IN-KA IN-KL IN-LA IN-LD IN-MP IN-MH IN-MN IN-ML IN-MZ IN-NL IN-OD IN-PY IN-PB
	IN-RJ IN-SK IN-TN IN-TS IN-TR IN-UP IN-UK IN-WB`)

var sectors = strings.Fields(`nursing_care building_cleaning industrial_manufacturing construction
	shipbuilding automobile_maintenance aviation accommodation automobile_transport railway agriculture
	fisheries food_manufacturing food_service forestry wood_industry it_software semiconductors research
	education healthcare business_services other`)

func isRegion(code, country string) bool {
	if country == "IN" {
		return slices.Contains(currentIndia, code)
	}
	if len(code) != 5 || !strings.HasPrefix(code, "JP-") {
		return false
	}
	n := int(code[3]-'0')*10 + int(code[4]-'0')
	return code[3] >= '0' && code[3] <= '9' && code[4] >= '0' && code[4] <= '9' && n >= 1 && n <= 47
}

func isSkilled(cat string) bool { return slices.Contains(Skilled, cat) }

type dm struct {
	m   month.Month
	dir string
}

func totals(rows []Row) (all, skilled map[dm]int64) {
	all, skilled = map[dm]int64{}, map[dm]int64{}
	for _, r := range rows {
		k := dm{r.Month, r.Direction}
		all[k] += r.Count
		if isSkilled(r.Category) {
			skilled[k] += r.Count
		}
	}
	return all, skilled
}

func TestDeterministic(t *testing.T) {
	a, b := Generate(today), Generate(today)
	if !reflect.DeepEqual(a, b) {
		t.Fatal("two calls with the same day differ")
	}
	c := Generate(time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC))
	if !reflect.DeepEqual(a, c) {
		t.Fatal("another day of the same month gives different rows")
	}
}

func TestCoverage(t *testing.T) {
	rows := Generate(today)
	if len(rows) == 0 {
		t.Fatal("no rows")
	}
	first, last := month.MustParse("2024-09"), month.MustParse("2026-10")
	if rows[0].Month != first || rows[len(rows)-1].Month != last {
		t.Fatalf("rows run %s..%s, want %s..%s", rows[0].Month, rows[len(rows)-1].Month, first, last)
	}
	seen := map[string]bool{}
	for i, r := range rows {
		if i > 0 && r.Month < rows[i-1].Month {
			t.Fatalf("row %d: month %s after %s", i, r.Month, rows[i-1].Month)
		}
		seen[r.Month.String()+"/"+r.Direction+"/"+r.Category] = true
	}
	for _, m := range month.Range(first, last) {
		for _, dir := range []string{"IN-JP", "JP-IN"} {
			for _, cat := range Categories {
				if !seen[m.String()+"/"+dir+"/"+cat] {
					t.Errorf("no row for %s %s %s", m, dir, cat)
				}
			}
		}
	}
	if len(Categories) != 10 {
		t.Errorf("%d categories, want 10", len(Categories))
	}
	if len(rows) > 5000 {
		t.Errorf("%d rows, want a few thousand at most", len(rows))
	}
	if got := Generate(time.Date(2024, 9, 30, 0, 0, 0, 0, time.UTC)); len(got) != 0 {
		t.Errorf("today in the first month gives %d rows, want none", len(got))
	}
	if got := Generate(time.Date(2024, 10, 1, 0, 0, 0, 0, time.UTC)); len(got) == 0 || got[len(got)-1].Month != first {
		t.Errorf("today in 2024-10 should give exactly 2024-09")
	}
}

func TestRowsValid(t *testing.T) {
	rows := Generate(time.Date(2030, 9, 1, 0, 0, 0, 0, time.UTC))
	last := rows[len(rows)-1].Month
	keys := map[[6]string]bool{}
	notes := 0
	for _, r := range rows {
		k := [6]string{r.Month.String(), r.Direction, r.Category, r.Sector, r.Origin, r.Destination}
		if keys[k] {
			t.Errorf("duplicate key %v", k)
		}
		keys[k] = true
		if !slices.Contains(Categories, r.Category) {
			t.Errorf("%v: unknown category", k)
		}
		if r.Sector != "" && !slices.Contains(sectors, r.Sector) {
			t.Errorf("%v: unknown sector", k)
		}
		from, to := "IN", "JP"
		switch r.Direction {
		case "IN-JP":
		case "JP-IN":
			from, to = to, from
		default:
			t.Errorf("%v: bad direction", k)
		}
		if r.Origin != "" && !isRegion(r.Origin, from) {
			t.Errorf("%v: origin is not a current %s region", k, from)
		}
		if r.Destination != "" && !isRegion(r.Destination, to) {
			t.Errorf("%v: destination is not a current %s region", k, to)
		}
		if r.Count < 0 {
			t.Errorf("%v: negative count %d", k, r.Count)
		}
		want := "final"
		if r.Month > last.Add(-2) {
			want = "provisional"
		}
		if r.Status != want {
			t.Errorf("%v: status %q, want %q", k, r.Status, want)
		}
		if r.Source == "" {
			t.Errorf("%v: no source", k)
		}
		if r.Note != "" {
			notes++
		}
	}
	if notes == 0 || notes > len(rows)/10 {
		t.Errorf("%d of %d rows have a note, want a few", notes, len(rows))
	}
}

func TestMagnitudes(t *testing.T) {
	// Check through the end of the plan and a little beyond.
	rows := Generate(time.Date(2031, 1, 1, 0, 0, 0, 0, time.UTC))
	all, skilled := totals(rows)
	catTotal := map[string]int64{}
	for _, r := range rows {
		catTotal[r.Month.String()+r.Direction+r.Category] += r.Count
	}
	zeros := 0
	for _, n := range catTotal {
		if n == 0 {
			zeros++
		}
	}
	if zeros > len(catTotal)/50 {
		t.Errorf("%d of %d category figures are zero", zeros, len(catTotal))
	}
	var planAll, planSkilled int64
	for k, n := range all {
		switch k.dir {
		case "IN-JP":
			if n < 1500 || n > 4000 {
				t.Errorf("%s IN-JP total %d outside 1,500..4,000", k.m, n)
			}
			if s := skilled[k]; s < 300 || s > 1500 {
				t.Errorf("%s IN-JP skilled %d outside 300..1,500", k.m, s)
			}
			if s := skilled[k]; s*100 < n*25 || s*100 > n*60 {
				t.Errorf("%s IN-JP skilled %d of %d is an odd share", k.m, s, n)
			}
		case "JP-IN":
			if n < 400 || n > 900 {
				t.Errorf("%s JP-IN total %d outside 400..900", k.m, n)
			}
		}
		if k.m >= month.MustParse("2025-09") && k.m <= month.MustParse("2030-08") {
			planAll += n
			if k.dir == "IN-JP" {
				planSkilled += skilled[k]
			}
		}
	}
	// The plan must show behind schedule: 500,000 in all and 50,000 skilled.
	if planAll >= 500000 || planSkilled >= 50000 {
		t.Errorf("plan period has %d people and %d skilled; the demo should fall short", planAll, planSkilled)
	}
	if planSkilled < 30000 || planAll < 100000 {
		t.Errorf("plan period has %d people and %d skilled; implausibly low", planAll, planSkilled)
	}
	// JP-IN is mostly business, students, short-term and language teachers.
	for k, n := range all {
		if k.dir != "JP-IN" {
			continue
		}
		var main int64
		for _, r := range rows {
			if r.Month == k.m && r.Direction == k.dir && slices.Contains([]string{"business", "student", "short_term", "language_teacher"}, r.Category) {
				main += r.Count
			}
		}
		if main*100 < n*70 {
			t.Errorf("%s JP-IN: main categories %d of %d", k.m, main, n)
		}
	}
}

func TestBreakdowns(t *testing.T) {
	rows := Generate(today)
	parts := map[string]int{}
	for _, r := range rows {
		if r.Month == month.MustParse("2025-09") {
			parts[r.Direction+"/"+r.Category]++
		}
	}
	for _, pair := range []string{"IN-JP/engineer", "IN-JP/ssw", "JP-IN/business"} {
		if parts[pair] < 3 {
			t.Errorf("%s is not broken down (%d rows)", pair, parts[pair])
		}
	}
	if parts["IN-JP/student"] != 1 {
		t.Errorf("IN-JP/student has %d rows, want one plain row", parts["IN-JP/student"])
	}
	// The rows of a (month, direction, category) add up to its figure.
	sum := map[string]int64{}
	for _, r := range rows {
		sum[r.Month.String()+"/"+r.Direction+"/"+r.Category] += r.Count
	}
	for _, m := range month.Range(First, month.MustParse("2026-10")) {
		for _, dir := range Directions {
			for _, cat := range Categories {
				if got, want := sum[m.String()+"/"+dir+"/"+cat], categoryCount(m, dir, cat); got != want {
					t.Errorf("%s %s %s: rows add up to %d, want %d", m, dir, cat, got, want)
				}
			}
		}
	}
	for _, r := range rows {
		if r.Direction == "IN-JP" && r.Category == "engineer" && r.Sector == "it_software" && r.Origin == "IN-KA" && r.Destination == "JP-13" {
			return
		}
	}
	t.Error("no IN-JP engineer it_software IN-KA→JP-13 row")
}

func TestLaterDayOnlyAppends(t *testing.T) {
	before := Generate(today)
	after := Generate(time.Date(2026, 12, 3, 0, 0, 0, 0, time.UTC))
	if len(after) <= len(before) {
		t.Fatalf("%d rows after, %d before", len(after), len(before))
	}
	for i, b := range before {
		a := after[i]
		if b.Status == "provisional" && a.Status == "final" {
			// A provisional month turns final; only its status and the
			// "awaiting final count" note may change.
			if b.Note == "awaiting final count" {
				b.Note = a.Note
			}
			b.Status = a.Status
		}
		if a != b {
			t.Fatalf("row %d changed:\n before %+v\n after  %+v", i, before[i], a)
		}
	}
	for _, a := range after[len(before):] {
		if a.Month != month.MustParse("2026-11") {
			t.Errorf("appended row for %s, want 2026-11", a.Month)
		}
	}
}

// TestWindowTotals pins the figures reported for 2025-09..2026-10.
func TestWindowTotals(t *testing.T) {
	var all, skilled int64
	for _, r := range Generate(today) {
		if r.Month < month.MustParse("2025-09") || r.Month > month.MustParse("2026-10") {
			continue
		}
		all += r.Count
		if r.Direction == "IN-JP" && isSkilled(r.Category) {
			skilled += r.Count
		}
	}
	if skilled != 9592 || all != 40361 {
		t.Errorf("2025-09..2026-10: skilled IN-JP %d, all %d; want 9592 and 40361", skilled, all)
	}
}
