package figures_test

import (
	"context"
	"errors"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"testing"

	"hrx/internal/apperr"
	"hrx/internal/audit"
	"hrx/internal/db"
	"hrx/internal/db/dbtest"
	"hrx/internal/figures"
)

// aggKnown is a small data set whose sums are worked out by hand below.
var aggKnown = []figures.Figure{
	{Month: "2025-09", Direction: "IN-JP", Category: "engineer", Sector: "it_software", Origin: "IN-KA", Destination: "JP-13", Count: 300},
	{Month: "2025-09", Direction: "IN-JP", Category: "engineer", Count: 100},
	{Month: "2025-09", Direction: "IN-JP", Category: "student", Count: 100},
	{Month: "2025-09", Direction: "JP-IN", Category: "business", Origin: "JP-27", Count: 500},
	{Month: "2025-10", Direction: "IN-JP", Category: "ssw", Sector: "nursing_care", Origin: "IN-KA", Destination: "JP-27", Count: 200},
	{Month: "2025-10", Direction: "JP-IN", Category: "student", Count: 300},
	{Month: "2025-11", Direction: "IN-JP", Category: "ssw", Sector: "nursing_care", Count: 0},
}

func aggStore(t *testing.T, rows []figures.Figure) (*figures.Store, *db.DB) {
	t.Helper()
	d := dbtest.New(t)
	s := figures.NewStore(d)
	if len(rows) > 0 {
		if err := s.Insert(context.Background(), audit.System("test"), slices.Clone(rows), "t"); err != nil {
			t.Fatal(err)
		}
	}
	return s, d
}

func TestAggregateKnown(t *testing.T) {
	s, _ := aggStore(t, aggKnown)
	ctx := context.Background()
	tests := []struct {
		name    string
		f       figures.Filter
		groupBy []string
		want    []figures.Row
		total   int64
	}{
		{"no grouping: one total row", figures.Filter{}, nil, []figures.Row{{Count: 1500}}, 1500},
		{"month", figures.Filter{}, []string{"month"}, []figures.Row{
			{Month: "2025-09", Count: 1000}, {Month: "2025-10", Count: 500}, {Month: "2025-11", Count: 0},
		}, 1500},
		{"direction", figures.Filter{}, []string{"direction"}, []figures.Row{
			{Direction: "IN-JP", Count: 700}, {Direction: "JP-IN", Count: 800},
		}, 1500},
		{"category", figures.Filter{}, []string{"category"}, []figures.Row{
			{Category: "business", Count: 500}, {Category: "engineer", Count: 400}, {Category: "ssw", Count: 200}, {Category: "student", Count: 400},
		}, 1500},
		{"sector: empty is not broken down", figures.Filter{}, []string{"sector"}, []figures.Row{
			{Sector: "", Count: 1000}, {Sector: "it_software", Count: 300}, {Sector: "nursing_care", Count: 200},
		}, 1500},
		{"origin and destination", figures.Filter{}, []string{"origin", "destination"}, []figures.Row{
			{Count: 500}, {Origin: "IN-KA", Destination: "JP-13", Count: 300}, {Origin: "IN-KA", Destination: "JP-27", Count: 200}, {Origin: "JP-27", Count: 500},
		}, 1500},
		{"order follows the columns given", figures.Filter{}, []string{"direction", "month"}, []figures.Row{
			{Direction: "IN-JP", Month: "2025-09", Count: 500}, {Direction: "IN-JP", Month: "2025-10", Count: 200}, {Direction: "IN-JP", Month: "2025-11", Count: 0},
			{Direction: "JP-IN", Month: "2025-09", Count: 500}, {Direction: "JP-IN", Month: "2025-10", Count: 300},
		}, 1500},
		{"repeated columns count once", figures.Filter{}, []string{"direction", "direction"}, []figures.Row{
			{Direction: "IN-JP", Count: 700}, {Direction: "JP-IN", Count: 800},
		}, 1500},
		{"from and to", figures.Filter{From: "2025-10", To: "2025-10"}, []string{"month"}, []figures.Row{{Month: "2025-10", Count: 500}}, 500},
		{"from only", figures.Filter{From: "2025-10"}, []string{"month"}, []figures.Row{{Month: "2025-10", Count: 500}, {Month: "2025-11", Count: 0}}, 500},
		{"to only", figures.Filter{To: "2025-09"}, nil, []figures.Row{{Count: 1000}}, 1000},
		{"direction filter", figures.Filter{Direction: "IN-JP"}, []string{"category"}, []figures.Row{
			{Category: "engineer", Count: 400}, {Category: "ssw", Count: 200}, {Category: "student", Count: 100},
		}, 700},
		{"category filter", figures.Filter{Category: "student"}, []string{"month", "direction"}, []figures.Row{
			{Month: "2025-09", Direction: "IN-JP", Count: 100}, {Month: "2025-10", Direction: "JP-IN", Count: 300},
		}, 400},
		{"sector filter", figures.Filter{Sector: "nursing_care"}, []string{"month"}, []figures.Row{{Month: "2025-10", Count: 200}, {Month: "2025-11", Count: 0}}, 200},
		{"origin filter", figures.Filter{Origin: "IN-KA"}, []string{"destination"}, []figures.Row{{Destination: "JP-13", Count: 300}, {Destination: "JP-27", Count: 200}}, 500},
		{"destination filter", figures.Filter{Destination: "JP-27"}, []string{"category"}, []figures.Row{{Category: "ssw", Count: 200}}, 200},
		{"filters together", figures.Filter{From: "2025-09", To: "2025-12", Direction: "IN-JP", Category: "engineer", Origin: "IN-KA"}, []string{"month"}, []figures.Row{{Month: "2025-09", Count: 300}}, 300},
		{"nothing matches, grouped", figures.Filter{From: "2026-01"}, []string{"month"}, []figures.Row{}, 0},
		{"nothing matches, no grouping", figures.Filter{Category: "hsp"}, nil, []figures.Row{{Count: 0}}, 0},
		{"nothing matches, breakdown filter", figures.Filter{Sector: "aviation"}, nil, []figures.Row{{Count: 0}}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, total, err := s.Aggregate(ctx, figures.Staff, tt.f, tt.groupBy)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tt.want) || total != tt.total {
				t.Errorf("Aggregate(%+v, %q) =\n%+v, %d\nwant\n%+v, %d", tt.f, tt.groupBy, got, total, tt.want, tt.total)
			}
		})
	}
}

func TestAggregateEmptyDatabase(t *testing.T) {
	s, _ := aggStore(t, nil)
	rows, total, err := s.Aggregate(context.Background(), figures.Staff, figures.Filter{}, nil)
	if err != nil || total != 0 || !reflect.DeepEqual(rows, []figures.Row{{Count: 0}}) {
		t.Errorf("no grouping: %+v, %d, %v", rows, total, err)
	}
	rows, total, err = s.Aggregate(context.Background(), figures.Staff, figures.Filter{}, []string{"month"})
	if err != nil || total != 0 || rows == nil || len(rows) != 0 {
		t.Errorf("by month: %#v, %d, %v", rows, total, err)
	}
}

func TestAggregateRefuses(t *testing.T) {
	s, _ := aggStore(t, aggKnown)
	ctx := context.Background()
	for _, tt := range []struct {
		f       figures.Filter
		groupBy []string
		field   string
	}{
		{figures.Filter{}, []string{"month; DROP TABLE figures"}, "group_by"},
		{figures.Filter{}, []string{"count"}, "group_by"},
		{figures.Filter{}, []string{"Month"}, "group_by"},
		{figures.Filter{}, []string{""}, "group_by"},
		{figures.Filter{From: "2025-13"}, nil, "from"},
		{figures.Filter{To: "Sep 2025"}, nil, "to"},
		{figures.Filter{From: "2025-10", To: "2025-09"}, nil, "to"},
	} {
		_, _, err := s.Aggregate(ctx, figures.Staff, tt.f, tt.groupBy)
		var ve *apperr.ValidationError
		if !errors.As(err, &ve) || ve.For(tt.field).IsZero() {
			t.Errorf("Aggregate(%+v, %q) = %v; want a validation error on %s", tt.f, tt.groupBy, err, tt.field)
		}
	}
	// Still there.
	if _, total, err := s.Aggregate(ctx, figures.Staff, figures.Filter{}, nil); err != nil || total != 1500 {
		t.Errorf("after the refusals: %d, %v", total, err)
	}
}

// aggFold sums rows over every column not in keep, in the order of keep.
func aggFold(rows []figures.Row, keep []string) []figures.Row {
	var out []figures.Row
	idx := map[string]int{}
	for _, r := range rows {
		var k figures.Row
		var key []string
		for _, c := range keep {
			v := r.Value(c)
			key = append(key, v)
			switch c {
			case "month":
				k.Month = v
			case "direction":
				k.Direction = v
			case "category":
				k.Category = v
			}
		}
		ks := strings.Join(key, "\x00")
		if i, ok := idx[ks]; ok {
			out[i].Count += r.Count
			continue
		}
		k.Count = r.Count
		idx[ks] = len(out)
		out = append(out, k)
	}
	if out == nil {
		out = []figures.Row{}
	}
	return out
}

// TestAggregateTotalsAndFiguresAgree checks that the month_totals path gives
// exactly what summing the figures themselves gives.
func TestAggregateTotalsAndFiguresAgree(t *testing.T) {
	s, _ := aggStore(t, aggRandom(400))
	ctx := context.Background()
	groupings := [][]string{nil, {"month"}, {"direction"}, {"category"}, {"month", "direction"}, {"month", "category"}, {"category", "direction"}, {"month", "direction", "category"}}
	filters := []figures.Filter{{}, {From: "2025-10", To: "2026-01"}, {Direction: "JP-IN"}, {Category: "ssw"}, {From: "2025-11", Direction: "IN-JP", Category: "engineer"}}
	for _, g := range groupings {
		for _, f := range filters {
			fromTotals, t1, err := s.Aggregate(ctx, figures.Staff, f, g)
			if err != nil {
				t.Fatal(err)
			}
			// Adding sector to the grouping forces a read of figures; folding it away must give the same rows.
			fine, t2, err := s.Aggregate(ctx, figures.Staff, f, append(slices.Clone(g), "sector"))
			if err != nil {
				t.Fatal(err)
			}
			fromFigures := aggFold(fine, g)
			if len(g) == 0 && len(fromFigures) == 0 {
				fromFigures = []figures.Row{{Count: 0}}
			}
			if !reflect.DeepEqual(fromTotals, fromFigures) || t1 != t2 {
				t.Errorf("group %q filter %+v: month_totals\n%+v (%d)\nfigures\n%+v (%d)", g, f, fromTotals, t1, fromFigures, t2)
			}
		}
	}
}

// TestAggregateReadsMonthTotals shows which table answers: a tampered
// month_totals shows through only where month_totals is meant to be read.
func TestAggregateReadsMonthTotals(t *testing.T) {
	s, d := aggStore(t, aggKnown)
	ctx := context.Background()
	if err := d.W.Exec("UPDATE month_totals SET total = total + 1000000 WHERE month = '2025-09' AND direction = 'JP-IN'").Error; err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		f       figures.Filter
		groupBy []string
		total   int64
	}{
		{figures.Filter{}, nil, 1001500},
		{figures.Filter{}, []string{"month", "direction", "category"}, 1001500},
		{figures.Filter{Direction: "JP-IN", Category: "business", From: "2025-09", To: "2025-09"}, []string{"month"}, 1000500},
		{figures.Filter{}, []string{"sector"}, 1500},
		{figures.Filter{}, []string{"month", "origin"}, 1500},
		{figures.Filter{Origin: "JP-27"}, []string{"month"}, 500},
		{figures.Filter{Destination: "JP-13"}, nil, 300},
		{figures.Filter{Sector: "it_software"}, []string{"direction"}, 300},
	} {
		if _, total, err := s.Aggregate(ctx, figures.Staff, tt.f, tt.groupBy); err != nil || total != tt.total {
			t.Errorf("Aggregate(%+v, %q) total %d, %v; want %d", tt.f, tt.groupBy, total, err, tt.total)
		}
	}
}

// TestAggregateEveryGrouping compares every grouping, with several filters,
// against sums worked out in Go from the same figures.
func TestAggregateEveryGrouping(t *testing.T) {
	data := aggRandom(600)
	s, _ := aggStore(t, data)
	ctx := context.Background()
	filters := []figures.Filter{
		{}, {From: "2025-10"}, {To: "2025-11"}, {From: "2025-10", To: "2025-12"}, {Direction: "IN-JP"}, {Category: "student"},
		{Sector: "construction"}, {Origin: "IN-KA"}, {Destination: "JP-13"}, {From: "2025-09", Direction: "IN-JP", Category: "ssw", Sector: "nursing_care"},
	}
	for mask := 0; mask < 1<<len(figures.GroupColumns); mask++ {
		var g []string
		for i, c := range figures.GroupColumns {
			if mask&(1<<i) != 0 {
				g = append(g, c)
			}
		}
		// The reverse order too, for the ordering.
		for _, cols := range [][]string{g, aggReversed(g)} {
			for _, f := range filters {
				got, total, err := s.Aggregate(ctx, figures.Staff, f, cols)
				if err != nil {
					t.Fatal(err)
				}
				want, wantTotal := aggBrute(data, f, cols)
				if !reflect.DeepEqual(got, want) || total != wantTotal {
					t.Fatalf("group %q filter %+v:\n got %+v (%d)\nwant %+v (%d)", cols, f, got, total, want, wantTotal)
				}
			}
		}
	}
}

func aggReversed(s []string) []string {
	r := slices.Clone(s)
	slices.Reverse(r)
	return r
}

// aggRandom makes n distinct figures, the same every run.
func aggRandom(n int) []figures.Figure {
	r := rand.New(rand.NewPCG(1, 2))
	months := []string{"2025-09", "2025-10", "2025-11", "2025-12", "2026-01"}
	dirs := []string{"IN-JP", "JP-IN"}
	cats := []string{"engineer", "ssw", "student", "business", "hsp"}
	sectors := []string{"", "construction", "nursing_care", "it_software"}
	in := []string{"", "IN-KA", "IN-MH", "IN-TN"}
	jp := []string{"", "JP-13", "JP-27", "JP-23"}
	seen := map[string]bool{}
	var out []figures.Figure
	for len(out) < n {
		f := figures.Figure{
			Month: months[r.IntN(len(months))], Direction: dirs[r.IntN(2)], Category: cats[r.IntN(len(cats))],
			Sector: sectors[r.IntN(len(sectors))], Count: int64(r.IntN(5000)),
		}
		o, d := in[r.IntN(len(in))], jp[r.IntN(len(jp))]
		if f.Direction == "JP-IN" {
			o, d = d, o
		}
		f.Origin, f.Destination = o, d
		if k := f.Key() + "|" + f.Sector + "|" + f.Origin + "|" + f.Destination; !seen[k] {
			seen[k] = true
			out = append(out, f)
		}
	}
	return out
}

// aggBrute is Aggregate worked out in Go.
func aggBrute(data []figures.Figure, f figures.Filter, cols []string) ([]figures.Row, int64) {
	sums := map[string]*figures.Row{}
	var keys []string
	var total int64
	for _, x := range data {
		if f.From != "" && x.Month < f.From || f.To != "" && x.Month > f.To ||
			f.Direction != "" && x.Direction != f.Direction || f.Category != "" && x.Category != f.Category ||
			f.Sector != "" && x.Sector != f.Sector || f.Origin != "" && x.Origin != f.Origin || f.Destination != "" && x.Destination != f.Destination {
			continue
		}
		full := figures.Row{Month: x.Month, Direction: x.Direction, Category: x.Category, Sector: x.Sector, Origin: x.Origin, Destination: x.Destination}
		var r figures.Row
		var key []string
		for _, c := range cols {
			v := full.Value(c)
			key = append(key, v)
			switch c {
			case "month":
				r.Month = v
			case "direction":
				r.Direction = v
			case "category":
				r.Category = v
			case "sector":
				r.Sector = v
			case "origin":
				r.Origin = v
			case "destination":
				r.Destination = v
			}
		}
		k := strings.Join(key, "\x00")
		if sums[k] == nil {
			sums[k] = &r
			keys = append(keys, k)
		}
		sums[k].Count += x.Count
		total += x.Count
	}
	slices.Sort(keys) // \x00 sorts before every other byte, so this is column by column
	out := []figures.Row{}
	for _, k := range keys {
		out = append(out, *sums[k])
	}
	if len(cols) == 0 && len(out) == 0 {
		out = append(out, figures.Row{})
	}
	return out, total
}
