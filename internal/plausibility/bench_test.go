package plausibility_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"hrx/internal/db"
	"hrx/internal/db/dbtest"
	"hrx/internal/demo"
	"hrx/internal/figures"
	"hrx/internal/imports"
	"hrx/internal/month"
	"hrx/internal/plausibility"
)

// demoDB holds the demonstration figures from September 2024 to December
// 2030: 76 months, both directions, every category, with their breakdowns.
func demoDB(b testing.TB) (*db.DB, []demo.Row) {
	b.Helper()
	d := dbtest.New(b)
	rows := demo.Generate(time.Date(2031, 1, 1, 0, 0, 0, 0, time.UTC))
	figs := make([]figures.Figure, len(rows))
	for i, r := range rows {
		figs[i] = figures.Figure{Month: r.Month.String(), Direction: r.Direction, Category: r.Category, Sector: r.Sector,
			Origin: r.Origin, Destination: r.Destination, Count: r.Count, Status: r.Status, Source: r.Source, Note: r.Note}
	}
	if err := figures.NewStore(d).Insert(context.Background(), test, figs, "demo"); err != nil {
		b.Fatal(err)
	}
	return d, rows
}

// BenchmarkMonth: the flags of the last of 76 months, as a month page asks.
func BenchmarkMonth(b *testing.B) {
	d, _ := demoDB(b)
	st := plausibility.NewStore(d)
	last := month.MustParse("2030-12")
	for b.Loop() {
		if _, err := st.Month(context.Background(), nil, last); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkImport: the flags of a preview that changes every figure of June
// 2026 (each count doubled), as the upload preview asks.
func BenchmarkImport(b *testing.B) {
	d, rows := demoDB(b)
	var sb strings.Builder
	sb.WriteString("month,direction,category,sector,origin,destination,count\n")
	n := 0
	for _, r := range rows {
		if r.Month == month.MustParse("2026-06") {
			fmt.Fprintf(&sb, "%s,%s,%s,%s,%s,%s,%d\n", r.Month, r.Direction, r.Category, r.Sector, r.Origin, r.Destination, 2*r.Count+1)
			n++
		}
	}
	im, err := imports.NewStore(d).Stage(context.Background(), test, imports.Upload{Name: "f.csv", Body: strings.NewReader(sb.String())})
	if err != nil || im.ChangedCount != int64(n) {
		b.Fatalf("staged %+v: %v", im, err)
	}
	st := plausibility.NewStore(d)
	for b.Loop() {
		if _, err := st.Import(context.Background(), im.ID); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(n), "rows")
}

// TestDemoFlags: the demonstration figures, made to look like real ones,
// raise few flags; the test logs them.
func TestDemoFlags(t *testing.T) {
	if testing.Short() {
		t.Skip("loads six years of figures")
	}
	d, _ := demoDB(t)
	st := plausibility.NewStore(d)
	n := 0
	for _, m := range month.Range(demo.First, month.MustParse("2030-12")) {
		flags, err := st.Month(context.Background(), nil, m)
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range flags {
			t.Logf("%s: %s", f.Key(), f.Msg())
		}
		n += len(flags)
	}
	if n > 10 {
		t.Errorf("%d flags in 76 months of demonstration figures", n)
	}
}
