package plausibility_test

import (
	"context"
	"strings"
	"testing"

	"gorm.io/gorm"

	"hrx/internal/audit"
	"hrx/internal/db"
	"hrx/internal/db/dbtest"
	"hrx/internal/figures"
	"hrx/internal/imports"
	"hrx/internal/month"
	"hrx/internal/plausibility"
	"hrx/internal/settings"
)

var test = audit.System("test")

// seed stores the history: IN-JP engineers 84 in September 2024,
// 75 a month from March to August 2025 and 412 in September 2025, beside
// 200 IN-JP students a month from March 2025.
func seed(t *testing.T, d *db.DB) {
	t.Helper()
	fig := func(m, cat string, n int64) figures.Figure {
		return figures.Figure{Month: m, Direction: "IN-JP", Category: cat, Count: n, Status: figures.Final}
	}
	rows := []figures.Figure{fig("2024-09", "engineer", 84)}
	for _, m := range []string{"2025-03", "2025-04", "2025-05", "2025-06", "2025-07", "2025-08"} {
		rows = append(rows, fig(m, "engineer", 75), fig(m, "student", 200))
	}
	// September's engineers come as two figures, broken down by sector, that
	// make the cell's 412 together.
	sep := fig("2025-09", "engineer", 400)
	sep.Sector = "industrial_manufacturing"
	rows = append(rows, sep, fig("2025-09", "engineer", 12), fig("2025-09", "student", 200))
	if err := figures.NewStore(d).Insert(context.Background(), test, rows, "test data"); err != nil {
		t.Fatal(err)
	}
}

func byKey(flags []plausibility.Flag) map[string]plausibility.Flag {
	out := map[string]plausibility.Flag{}
	for _, f := range flags {
		out[f.Key()] = f
	}
	return out
}

func TestMonthFlags(t *testing.T) {
	ctx := context.Background()
	d := dbtest.New(t)
	seed(t, d)
	st := plausibility.NewStore(d)
	flags, err := st.Month(ctx, nil, month.MustParse("2025-09"))
	if err != nil {
		t.Fatal(err)
	}
	got := byKey(flags)
	eng, ok := got["2025-09/IN-JP/engineer"]
	if !ok || len(flags) != 2 {
		t.Fatalf("flags %v", got)
	}
	if want := "412 is 5.5 times the median of its last 6 months with figures (75) and 4.9 times September 2024 (84)"; eng.Msg().String() != want {
		t.Errorf("says %q", eng.Msg().String())
	}
	if tot := got["2025-09/total"]; tot.Value != 612 || tot.Previous.Value != 275 {
		t.Errorf("the month's total: %+v", tot)
	}
	// The months before are near their level; a month without figures has none.
	for _, m := range []string{"2025-08", "2025-12"} {
		if flags, err := st.Month(ctx, nil, month.MustParse(m)); err != nil || len(flags) != 0 {
			t.Errorf("%s: %+v %v", m, flags, err)
		}
	}
	// Read inside a transaction, the same.
	err = d.W.Transaction(func(tx *gorm.DB) error {
		flags, err := st.Month(ctx, tx, month.MustParse("2025-09"))
		if len(flags) != 2 {
			t.Errorf("in a transaction: %+v", flags)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	// A ratio of 5: the engineers are 4.9 times the year before, not flagged.
	if err := settings.NewStore(d).Set(ctx, test, map[string]string{"four_eyes": "on", "flag_ratio": "5", "flag_total_jump": "150"}); err != nil {
		t.Fatal(err)
	}
	if flags, err := st.Month(ctx, nil, month.MustParse("2025-09")); err != nil || len(flags) != 0 {
		t.Errorf("with a ratio of 5 and a jump of 150%%: %+v %v", flags, err)
	}
}

func stage(t *testing.T, d *db.DB, mode, csv string) imports.Import {
	t.Helper()
	im, err := imports.NewStore(d).Stage(context.Background(), test, imports.Upload{Name: "f.csv", Body: strings.NewReader(csv), Mode: mode})
	if err != nil {
		t.Fatal(err)
	}
	if im.ErrorCount > 0 {
		t.Fatalf("the file has %d errors", im.ErrorCount)
	}
	return im
}

func TestImportFlags(t *testing.T) {
	ctx := context.Background()
	d := dbtest.New(t)
	seed(t, d)
	st := plausibility.NewStore(d)

	// Merge: September's sector figure corrected from 400 to 68 makes the
	// engineers 80, near their level; October and November added, compared
	// with the months before as the file would leave them.
	im := stage(t, d, imports.Merge, "month,direction,category,sector,count\n"+
		"2025-09,IN-JP,engineer,industrial_manufacturing,68\n"+
		"2025-10,IN-JP,engineer,,500\n"+
		"2025-10,IN-JP,student,,200\n"+
		"2025-10,IN-JP,hsp,,100\n"+
		"2025-11,IN-JP,hsp,,1000\n")
	flags, err := st.Import(ctx, im.ID)
	if err != nil {
		t.Fatal(err)
	}
	got := byKey(flags)
	var keys []string
	for _, f := range flags {
		keys = append(keys, f.Key())
	}
	// November's total, 1,000, is only 25% more than October's 800.
	want := []string{"2025-10/IN-JP/engineer", "2025-10/total", "2025-11/IN-JP/hsp"}
	if strings.Join(keys, " ") != strings.Join(want, " ") {
		t.Fatalf("flags %v, want %v", keys, want)
	}
	// October's engineers against April–September as the file leaves them
	// (75 ×5 and 80): a median of 75.
	if f := got["2025-10/IN-JP/engineer"]; f.Value != 500 || f.Median.Value != 75 || f.YearAgo != nil {
		t.Errorf("October's engineers: %+v", f)
	}
	// A cell new in the file is compared with the file's own earlier month.
	if f := got["2025-11/IN-JP/hsp"]; f.Median.Value != 100 || f.Median.Months != 1 {
		t.Errorf("November's professionals: %+v", f.Median)
	}
	// October's total, 800, against September's as the file makes it, 280.
	if f := got["2025-10/total"]; f.Value != 800 || f.Previous.Value != 280 {
		t.Errorf("October's total: %+v", f)
	}
	if flags, err := st.Month(ctx, nil, month.MustParse("2025-09")); err != nil || len(flags) != 2 {
		t.Errorf("a preview changed the figures' flags: %+v %v", flags, err)
	}

	// Once applied, the import is no longer a preview: no flags of its own.
	if _, err := imports.NewStore(d).Apply(ctx, test, im.ID); err != nil {
		t.Fatal(err)
	}
	if flags, err := st.Import(ctx, im.ID); err != nil || flags != nil {
		t.Errorf("an applied import: %+v %v", flags, err)
	}
}

func TestReplaceImportFlags(t *testing.T) {
	ctx := context.Background()
	d := dbtest.New(t)
	seed(t, d)
	// Replacing September with only its students, at 20: the engineers'
	// figures go (a cell with none left is not checked), the students are far
	// below their level, and so is the month's total.
	im := stage(t, d, imports.Replace, "month,direction,category,count\n2025-09,IN-JP,student,20\n")
	flags, err := plausibility.NewStore(d).Import(ctx, im.ID)
	if err != nil {
		t.Fatal(err)
	}
	got := byKey(flags)
	if len(flags) != 2 {
		t.Fatalf("flags %+v", got)
	}
	if f := got["2025-09/IN-JP/student"]; f.Up || f.Value != 20 || f.Median.Value != 200 {
		t.Errorf("students: %+v", f)
	}
	if f := got["2025-09/total"]; f.Up || f.Value != 20 || f.Previous.Value != 275 {
		t.Errorf("total: %+v", f)
	}
	// Nothing to compare: a file of a first month.
	d2 := dbtest.New(t)
	im = stage(t, d2, imports.Merge, "month,direction,category,count\n2025-09,IN-JP,student,5000\n")
	if flags, err := plausibility.NewStore(d2).Import(ctx, im.ID); err != nil || len(flags) != 0 {
		t.Errorf("a first month: %+v %v", flags, err)
	}
}
