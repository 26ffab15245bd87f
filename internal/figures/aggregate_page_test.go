package figures_test

import (
	"context"
	"errors"
	"reflect"
	"slices"
	"testing"
	"time"

	"hrx/internal/apperr"
	"hrx/internal/db"
	"hrx/internal/figures"
)

// publishAll copies every figure and total into the tables the public reads,
// as publishing every month would.
func publishAll(t *testing.T, d *db.DB) {
	t.Helper()
	for _, q := range []string{
		"DELETE FROM published_figures", "DELETE FROM published_totals",
		`INSERT INTO published_figures (month, direction, category, sector, origin, destination, count, status, source, note)
			SELECT month, direction, category, sector, origin, destination, count, status, source, note FROM figures`,
		`INSERT INTO published_totals (month, direction, category, total, row_count)
			SELECT month, direction, category, total, row_count FROM month_totals`,
	} {
		if err := d.W.Exec(q).Error; err != nil {
			t.Fatal(err)
		}
	}
}

// walk reads every page of an aggregate, checking that each page holds at
// most limit rows, that only the last says no more follow, and that every page
// has the same total.
func walk(t *testing.T, s *figures.Store, v figures.View, f figures.Filter, groupBy []string, limit int) ([]figures.Row, int64) {
	t.Helper()
	cols, err := figures.CanonicalColumns(groupBy)
	if err != nil {
		t.Fatal(err)
	}
	var all []figures.Row
	var after []string
	total := int64(-1)
	for n := 1; ; n++ {
		p, err := s.AggregatePage(context.Background(), v, f, groupBy, figures.PageQuery{Limit: limit, After: after})
		if err != nil {
			t.Fatalf("page %d: %v", n, err)
		}
		if len(p.Rows) > limit || p.More && len(p.Rows) != limit {
			t.Fatalf("page %d of %d: %d rows, more %v", n, limit, len(p.Rows), p.More)
		}
		if total >= 0 && p.Total != total {
			t.Fatalf("page %d: total %d, the first page said %d", n, p.Total, total)
		}
		total = p.Total
		all = append(all, p.Rows...)
		if !p.More {
			break
		}
		after = p.Rows[len(p.Rows)-1].Key(cols)
	}
	if all == nil {
		all = []figures.Row{}
	}
	return all, total
}

// TestAggregatePageEveryGrouping walks every grouping, in both column orders,
// with several filters and page sizes, in both views, and compares the rows
// with sums worked out in Go: every group exactly once, in canonical order.
func TestAggregatePageEveryGrouping(t *testing.T) {
	data := aggRandom(600)
	s, d := aggStore(t, data)
	publishAll(t, d)
	filters := []figures.Filter{
		{}, {From: "2025-10", To: "2025-12"}, {Direction: "IN-JP"}, {Category: "student"},
		{Sector: "construction"}, {Origin: "IN-KA"}, {Destination: "JP-13"},
		{From: "2025-09", Direction: "IN-JP", Category: "ssw", Sector: "nursing_care"},
	}
	for mask := 0; mask < 1<<len(figures.GroupColumns); mask++ {
		var g []string
		for i, c := range figures.GroupColumns {
			if mask&(1<<i) != 0 {
				g = append(g, c)
			}
		}
		for i, f := range filters {
			want, wantTotal := aggBrute(data, f, g) // g is in canonical order
			limit := []int{2, 9, 1000}[(mask+i)%3]
			for _, v := range []figures.View{figures.Staff, figures.Public} {
				got, total := walk(t, s, v, f, aggReversed(g), limit)
				if !reflect.DeepEqual(got, want) || total != wantTotal {
					t.Fatalf("%s view, group %q, filter %+v, limit %d:\n got %+v (%d)\nwant %+v (%d)", v, aggReversed(g), f, limit, got, total, want, wantTotal)
				}
			}
		}
	}
}

// TestAggregatePageByteOrder checks that values are ordered byte by byte on
// both databases, whatever PostgreSQL's collation would say (upper case before
// lower case, punctuation by its code, accented letters last), also across
// pages.
func TestAggregatePageByteOrder(t *testing.T) {
	s, d := aggStore(t, nil)
	sectors := []string{"", "Zeta", "_under", "a b", "a-b", "ab", "alpha", "beta", "zeta", "Ärzte", "é", "\u00e9t\u00e9"}
	for i, sec := range slices.Backward(sectors) {
		if err := d.W.Exec(`INSERT INTO published_figures (month, direction, category, sector, origin, destination, count, status, source, note)
			VALUES ('2025-09', 'IN-JP', 'engineer', ?, '', '', ?, 'final', '', '')`, sec, i+1).Error; err != nil {
			t.Fatal(err)
		}
	}
	want := slices.Clone(sectors)
	slices.Sort(want)
	for _, limit := range []int{1, 5, 100} {
		rows, _ := walk(t, s, figures.Public, figures.Filter{}, []string{"sector"}, limit)
		var got []string
		for _, r := range rows {
			got = append(got, r.Sector)
		}
		if !slices.Equal(got, want) {
			t.Errorf("limit %d: %q\nwant %q", limit, got, want)
		}
	}
}

// TestAggregatePageColumnOrder checks that a grouping asked in any order is
// answered in canonical order.
func TestAggregatePageColumnOrder(t *testing.T) {
	s, _ := aggStore(t, aggKnown)
	ctx := context.Background()
	a, err := s.AggregatePage(ctx, figures.Staff, figures.Filter{}, []string{"sector", "month", "sector"}, figures.PageQuery{Limit: 10})
	if err != nil {
		t.Fatal(err)
	}
	b, err := s.AggregatePage(ctx, figures.Staff, figures.Filter{}, []string{"month", "sector"}, figures.PageQuery{Limit: 10})
	if err != nil {
		t.Fatal(err)
	}
	want := []figures.Row{
		{Month: "2025-09", Count: 700}, {Month: "2025-09", Sector: "it_software", Count: 300},
		{Month: "2025-10", Count: 300}, {Month: "2025-10", Sector: "nursing_care", Count: 200},
		{Month: "2025-11", Sector: "nursing_care", Count: 0},
	}
	if !reflect.DeepEqual(a, b) || !reflect.DeepEqual(a.Rows, want) || a.Total != 1500 || a.More {
		t.Errorf("sector,month: %+v\nmonth,sector: %+v\nwant %+v", a, b, want)
	}
	if cols, _ := figures.CanonicalColumns([]string{"destination", "month", "category"}); !slices.Equal(cols, []string{"month", "category", "destination"}) {
		t.Errorf("CanonicalColumns: %q", cols)
	}
}

func TestAggregatePageRefuses(t *testing.T) {
	s, _ := aggStore(t, aggKnown)
	ctx := context.Background()
	for _, tt := range []struct {
		groupBy []string
		q       figures.PageQuery
		field   string
	}{
		{[]string{"month"}, figures.PageQuery{Limit: 0}, "limit"},
		{[]string{"month"}, figures.PageQuery{Limit: -5}, "limit"},
		{[]string{"month"}, figures.PageQuery{Limit: 10, After: []string{"2025-09", "IN-JP"}}, "after"},
		{nil, figures.PageQuery{Limit: 10, After: []string{"2025-09"}}, "after"},
		{[]string{"year"}, figures.PageQuery{Limit: 10}, "group_by"},
	} {
		_, err := s.AggregatePage(ctx, figures.Staff, figures.Filter{}, tt.groupBy, tt.q)
		var ve *apperr.ValidationError
		if !errors.As(err, &ve) || ve.For(tt.field).IsZero() {
			t.Errorf("AggregatePage(%q, %+v) = %v; want a validation error on %s", tt.groupBy, tt.q, err, tt.field)
		}
	}
	// No grouping: one row, the total.
	p, err := s.AggregatePage(ctx, figures.Staff, figures.Filter{}, nil, figures.PageQuery{Limit: 1})
	if err != nil || !reflect.DeepEqual(p.Rows, []figures.Row{{Count: 1500}}) || p.Total != 1500 || p.More {
		t.Errorf("no grouping: %+v, %v", p, err)
	}
}

// TestAggregatePageStopsTheDatabase checks that the context's deadline stops
// the query inside the database, not only the wait for it: the call returns
// long before the query would have finished, and on PostgreSQL the statement
// is gone from pg_stat_activity.
func TestAggregatePageStopsTheDatabase(t *testing.T) {
	if testing.Short() {
		t.Skip("fills a table with 100,000 rows or more")
	}
	s, d := aggStore(t, nil)
	groupBy := []string{"direction", "destination"}
	q := figures.PageQuery{Limit: 10}
	// Rows of one month, direction and category, each its own destination:
	// grouping by destination behind direction cannot be read in order from
	// any index, so the whole table is sorted before the first group. Rows
	// are added until that takes long enough to tell a stopped query from a
	// finished one.
	var full time.Duration
	for rows := 0; full < 80*time.Millisecond; rows += 100_000 {
		if rows == 800_000 {
			t.Skipf("the query over %d rows takes only %s", rows, full)
		}
		if err := d.W.Exec(`INSERT INTO published_figures (month, direction, category, sector, origin, destination, count, status, source, note)
			WITH RECURSIVE n(i) AS (SELECT CAST(? AS INTEGER) UNION ALL SELECT i + 1 FROM n WHERE i < CAST(? AS INTEGER))
			SELECT '2025-09', 'IN-JP', 'engineer', 's' || CAST(i % 7 AS TEXT), 'o' || CAST(i % 13 AS TEXT), 'd' || CAST(i AS TEXT), 1, 'final', '', '' FROM n`,
			rows+1, rows+100_000).Error; err != nil {
			t.Fatal(err)
		}
		t0 := time.Now()
		if _, err := s.AggregatePage(context.Background(), figures.Public, figures.Filter{}, groupBy, q); err != nil {
			t.Fatal(err)
		}
		full = time.Since(t0)
		t.Logf("%d rows: the whole query takes %s", rows+100_000, full)
	}
	ctx, cancel := context.WithTimeout(context.Background(), full/20)
	defer cancel()
	t0 := time.Now()
	_, err := s.AggregatePage(ctx, figures.Public, figures.Filter{}, groupBy, q)
	stopped := time.Since(t0)
	if !errors.Is(err, context.DeadlineExceeded) && !errors.Is(ctx.Err(), context.DeadlineExceeded) {
		t.Fatalf("past the deadline: %v", err)
	}
	if err == nil {
		t.Fatal("past the deadline: no error")
	}
	if stopped > full/2 {
		t.Errorf("the query ran %s past a deadline of %s; the whole query takes %s", stopped, full/20, full)
	}
	if d.Dialect != db.Postgres {
		return
	}
	// The backend was sent a cancel request: its statement ends soon after.
	// (Other tests' statements last milliseconds; this one would run for long.)
	for i := 0; ; i++ {
		var active int64
		if err := d.R.Raw(`SELECT COUNT(*) FROM pg_stat_activity WHERE state = 'active' AND pid <> pg_backend_pid()
			AND query LIKE '%AS people FROM published_figures%' AND now() - query_start > interval '100 milliseconds'`).Scan(&active).Error; err != nil {
			t.Fatal(err)
		}
		if active == 0 {
			break
		}
		if i == 50 {
			t.Fatalf("the statement is still running on the server %s after the deadline", time.Since(t0))
		}
		time.Sleep(20 * time.Millisecond)
	}
}
